// `npm run mock:heap` flags: --tls and --help; everything else comes from the environment.
import { parseCliArgs, type CliContext } from '../../support/src/cliArgs.ts';
import { commandLine } from '../../support/src/commandLine.ts';

export const mockHeapUsage = `Usage: ${commandLine('mock:heap')} [--tls]

Serves the Heap side a partner calls (OAuth authorize and token, metadata) and the mock Developer
Hub (http://127.0.0.1:$MOCK_HEAP_PORT/hub), with no Heap account.

Options:
  --tls        serve HTTPS with a local certificate authority, created once in the data
               directory; prints the CA file and the NODE_EXTRA_CA_CERTS line a client needs
  -h, --help   this help

Environment (or .env):
  MOCK_HEAP_PORT           port (default 4010)
  MOCK_HEAP_DATA_DIR       the Developer Hub's settings, segments, accounts and TLS files
                           (default ./data/mock-heap)
  CLIENT_ID, CLIENT_SECRET the partner app it accepts (development defaults as the server's)
  REDIRECT_URI             the registered redirect URI (default http://localhost:$PORT/api/oauth_redirect)
  WEBHOOK_SECRET           the secret deliveries are signed with (the first, when several)
  PORT                     the reference server's port, for the default webhook and redirect URLs
  MOCK_HEAP_ENV_ID, MOCK_HEAP_AUTHORIZED_BY  what metadata reports`;

export type MockHeapArgs =
  { kind: 'run'; tls: boolean } | { kind: 'help' } | { kind: 'error'; message: string };

export function parseMockHeapArgs(
  argv: string[],
  context: CliContext = { command: commandLine('mock:heap'), env: process.env },
): MockHeapArgs {
  try {
    const { values } = parseCliArgs(
      {
        args: argv,
        allowPositionals: false,
        options: {
          tls: { type: 'boolean', default: false },
          help: { type: 'boolean', short: 'h', default: false },
        },
      },
      context,
    );
    if (values.help) return { kind: 'help' };
    return { kind: 'run', tls: values.tls ?? false };
  } catch (error) {
    return { kind: 'error', message: (error as Error).message };
  }
}
