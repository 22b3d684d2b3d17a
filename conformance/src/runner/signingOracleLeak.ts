// Finds an answer that hands out what only Heap should know: the HMAC that would have been valid for
// the delivery sent (a signing oracle: post any body, read its signature, replay it signed) or the
// webhook secret itself.
import { computeHeapHmac } from '../../../spec/src/index.ts';
import type { Exchange } from '../delivery/webhookDelivery.ts';

/** Shorter secrets could appear in an answer by chance; they are not searched for. */
const MIN_SECRET_LENGTH = 8;

function encodings(digest: Buffer): string[] {
  const base64 = digest.toString('base64');
  return [base64, base64.replace(/=+$/, ''), digest.toString('base64url'), digest.toString('hex')];
}

/** The timestamps a verifier may have signed with: the ts as sent, and its leading digits. */
function timestampsOf(header: string | undefined): string[] {
  const text = /(?:^|,)\s*ts\s*:([^,]*)/i.exec(header ?? '')?.[1];
  if (text === undefined) return [];
  const digits = /^\s*\+?(\d+)/.exec(text)?.[1];
  return [...new Set([text, text.trim(), ...(digits ? [digits] : [])])];
}

/**
 * Null when the answer gives nothing away, else what it leaked (never the value itself). An answer
 * that only echoes the signature it was sent gives nothing away.
 */
export function signingOracleLeak(exchange: Exchange, secret: string): string | null {
  if (!exchange.ok) return null;
  const answer = [
    exchange.responseBody,
    ...Object.values(exchange.responseHeaders).flatMap((value) => value ?? []),
  ].join('\n');
  if (secret.length >= MIN_SECRET_LENGTH && answer.includes(secret)) {
    return 'the answer contains the webhook secret';
  }
  const sentHeader = exchange.request.headers['heap-hash'];
  for (const ts of timestampsOf(sentHeader)) {
    const valid = encodings(computeHeapHmac(secret, ts, exchange.request.body));
    const leaked = valid.find(
      (encoded) =>
        encoded.length >= 40 &&
        (answer.includes(encoded) || answer.toLowerCase().includes(encoded.toLowerCase())) &&
        !(sentHeader ?? '').includes(encoded),
    );
    if (leaked) {
      return (
        'the answer contains the HMAC that would have been valid for this delivery ' +
        `(${/^[0-9a-f]+$/.test(leaked) ? 'hex' : 'Base64'}): a signing oracle that lets anyone ` +
        'sign any body'
      );
    }
  }
  return null;
}
