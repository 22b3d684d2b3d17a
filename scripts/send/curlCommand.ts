// Renders a delivery as a copy-pasteable curl command, quoted for POSIX shells.
import type { OutgoingDelivery } from '../../spec/src/index.ts';

/** Single-quotes `value` for sh/bash/zsh: every byte is literal, `'` becomes `'\''`. */
export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

export function curlCommand(delivery: OutgoingDelivery): string {
  const headers = Object.entries(delivery.headers).map(
    ([name, value]) => `-H ${shellQuote(`${name}: ${value}`)}`,
  );
  return [
    'curl -sS -X POST',
    ...headers,
    `--data-binary ${shellQuote(delivery.body.toString('utf8'))}`,
    shellQuote(delivery.url),
  ].join(' \\\n  ');
}
