// Parses `npm run conformance -- oauth` flags, with CLIENT_SECRET and INSPECT_TOKEN from the
// environment so that CI keeps secrets off the command line.
import { parseCliArgs, unexpectedArgument } from '../../../support/src/cliArgs.ts';
import { commandLine } from '../../../support/src/commandLine.ts';
import { inspectTokenSetting } from '../conformanceOptions.ts';
import { callerPath } from '../../../support/src/callerPath.ts';
import { httpUrlFlag, wholeNumberFlag } from '../../../support/src/flagParsers.ts';

export const oauthUsage = (
  env: NodeJS.ProcessEnv = process.env,
) => `Usage: ${commandLine('conformance', env)} oauth --start-url URL --provider-port N --client-id ID
         --client-secret S --redirect-uri URL [options]
       heap-sync conformance oauth ... (the same)

Certifies a partner's OAuth connect flow (the partner is the client, Heap the provider). The run
starts a test provider speaking Heap's OAuth endpoints on http://127.0.0.1:N, registered with the
client id, secret and redirect URI given; the partner must already use http://127.0.0.1:N as Heap
(the reference server: HEAP_BASE_URL=http://127.0.0.1:N). It drives a genuine flow and flows with
faults (altered or missing state, another browser, access_denied, token errors and silence,
token_type "Bearer", extra token fields, HTML in the metadata) and judges what the partner did.

Options:
  --start-url URL       where a browser starts connecting; a GET must redirect to the provider
  --provider-port N     the port of the test provider on 127.0.0.1 (1 to 65535)
  --client-id ID        the partner app's client id
  --client-secret S     its client secret (or CLIENT_SECRET)
  --redirect-uri URL    the registered redirect URI, matched exactly
  --inspect-url URL     the partner's inspection API (GET {url}/connections), to see connections
  --inspect-token T     bearer token for it (or INSPECT_TOKEN)
  --success-text TEXT   text the partner's page shows after a connection (without --inspect-url)
  --no-browser          core checks only: skip the Chromium checks (also when no Chromium is found
                        at CHROMIUM_PATH, else /usr/bin/chromium)
  --timeout MS          time the partner has to answer each browser request (default 10000); its
                        own calls to Heap must give up sooner
  --json FILE           write a JSON report
  --junit FILE          write a JUnit XML report
  --html FILE           write a self-contained HTML report
  -h, --help            this help

Exit status: 0 when no "must" case failed, 1 when one did, 2 for a setup problem (bad flags, an
unreachable start URL, a start URL that does not redirect to the provider, a redirect_uri or client
id other than the registered one, an inspection API that refuses, a report file that cannot be
written), told in one line. What each case means: conformance/INTERPRETING.md.`;

export interface OAuthOptions {
  startUrl: string;
  providerPort: number;
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  inspectUrl: string | null;
  inspectToken: string | null;
  successText: string | null;
  browser: boolean;
  timeoutMs: number;
  jsonFile: string | null;
  junitFile: string | null;
  htmlFile: string | null;
}

export type ParsedOAuthArgs =
  { kind: 'run'; options: OAuthOptions } | { kind: 'help' } | { kind: 'error'; message: string };

function required(name: string, value: string | null | undefined, hint = ''): string {
  if (value === undefined || value === null || value.trim() === '') {
    throw new Error(`--${name} is required${hint}`);
  }
  return value;
}

const OAUTH_FLAGS = {
  'start-url': { type: 'string' },
  'provider-port': { type: 'string' },
  'client-id': { type: 'string' },
  'client-secret': { type: 'string' },
  'redirect-uri': { type: 'string' },
  'inspect-url': { type: 'string' },
  'inspect-token': { type: 'string' },
  'success-text': { type: 'string' },
  'no-browser': { type: 'boolean', default: false },
  timeout: { type: 'string' },
  json: { type: 'string' },
  junit: { type: 'string' },
  html: { type: 'string' },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

export function parseOAuthArgs(argv: string[], env: NodeJS.ProcessEnv): ParsedOAuthArgs {
  try {
    const context = { command: `${commandLine('conformance', env)} oauth`, env };
    const { values, positionals } = parseCliArgs(
      { args: argv, allowPositionals: true, options: OAUTH_FLAGS },
      context,
    );
    if (values.help) return { kind: 'help' };
    if (positionals.length > 0) {
      throw new Error(unexpectedArgument(positionals[0]!, argv, Object.keys(OAUTH_FLAGS), context));
    }
    const startUrl = required('start-url', httpUrlFlag('start-url', values['start-url']));
    const redirectUri = required(
      'redirect-uri',
      httpUrlFlag('redirect-uri', values['redirect-uri']),
    );
    const redirect = new URL(redirectUri);
    if (redirect.search || redirect.hash) {
      throw new Error(
        `--redirect-uri must have no query or fragment (got "${values['redirect-uri']}")`,
      );
    }
    const providerPort = wholeNumberFlag(
      'provider-port',
      required('provider-port', values['provider-port']),
      0,
      { min: 1, max: 65_535 },
    );
    const inspectUrl = httpUrlFlag('inspect-url', values['inspect-url']);
    const successText = values['success-text'] ?? null;
    if (successText !== null && successText.trim() === '') {
      throw new Error('--success-text must not be empty');
    }
    return {
      kind: 'run',
      options: {
        startUrl,
        providerPort,
        clientId: required('client-id', values['client-id']),
        clientSecret: required(
          'client-secret',
          values['client-secret'] ?? env.CLIENT_SECRET,
          ' (or CLIENT_SECRET)',
        ),
        // The exact string registered: URL parsing would add a trailing slash to a bare origin.
        redirectUri: values['redirect-uri']!,
        inspectUrl,
        inspectToken: inspectTokenSetting(values['inspect-token'], env),
        successText,
        browser: !values['no-browser'],
        timeoutMs: wholeNumberFlag('timeout', values.timeout, 10_000, { min: 100, max: 600_000 }),
        jsonFile: values.json === undefined ? null : callerPath(values.json, env),
        junitFile: values.junit === undefined ? null : callerPath(values.junit, env),
        htmlFile: values.html === undefined ? null : callerPath(values.html, env),
      },
    };
  } catch (error) {
    return { kind: 'error', message: (error as Error).message };
  }
}
