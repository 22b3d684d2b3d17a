// The subcommands of `heap-sync`: each runs the same entry point as the matching npm script.

export interface Subcommand {
  /** What it does, in one line, for `heap-sync --help`. */
  summary: string;
  /** Runs the entry, which reads its flags from process.argv. */
  run(): Promise<unknown>;
  /** Help for entries configured only through the environment, which print none themselves. */
  help?: string;
}

const environmentNote = `Configured from the environment and from .env in the working folder; .env.example in the
package lists every setting with a comment.`;

export const subcommands: Record<string, Subcommand> = {
  start: {
    summary: 'the local sandbox: mock Heap and reference server wired together',
    run: () => import('../start.ts'),
    help: `Usage: heap-sync start

Starts the mock Heap (MOCK_HEAP_PORT, default 4010) and the reference server (PORT, default 3000)
wired to each other on development defaults, and prints the connect page, the webhook URLs and the
webhook secret. Ctrl-C stops both.

${environmentNote}`,
  },
  server: {
    summary: 'the reference partner server alone',
    run: () => import('../../server/src/main.ts'),
    help: `Usage: heap-sync server

Runs the reference partner server on PORT (default 3000): the OAuth connect flow, the webhook
receiver (/users_sync, /users_drain, /webhooks/heap) and, with ADMIN_TOKEN, the inspection API.

${environmentNote}`,
  },
  mock: {
    summary: 'the mock Heap alone (OAuth and metadata, served by Prism from the spec)',
    run: () => import('../mock-heap.ts'),
    help: `Usage: heap-sync mock

Runs the mock Heap on MOCK_HEAP_PORT (default 4010): authorize, token and metadata endpoints
answering as spec/heap_partner_api.yaml says, for CLIENT_ID, CLIENT_SECRET and REDIRECT_URI.

${environmentNote}`,
  },
  send: {
    summary: 'signs and delivers webhooks the way Heap does',
    run: () => import('../send.ts'),
  },
  conformance: {
    summary: 'certifies a webhook endpoint against the contract',
    run: () => import('../../conformance/src/cli.ts'),
  },
};
