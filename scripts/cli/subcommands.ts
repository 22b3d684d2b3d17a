// The subcommands of `heap-sync`: each runs the same entry point as the matching npm script.

export interface Subcommand {
  /** What it does, in one line, for `heap-sync --help`. */
  summary: string;
  /** Runs the entry, which reads its flags from process.argv. */
  run(): Promise<unknown>;
}

export const subcommands: Record<string, Subcommand> = {
  start: {
    summary: 'the local sandbox: mock Heap and reference server wired together',
    run: () => import('../start.ts'),
  },
  server: {
    summary: 'the reference partner server alone',
    run: () => import('../../server/src/main.ts'),
  },
  mock: {
    summary: 'the mock Heap alone: OAuth, metadata and the Developer Hub',
    run: () => import('../mock-heap.ts'),
  },
  send: {
    summary: 'signs and delivers webhooks the way Heap does',
    run: () => import('../send.ts'),
  },
  conformance: {
    summary: 'certifies a webhook endpoint against the contract (oauth: the OAuth connect flow)',
    run: () => import('../../conformance/src/cli.ts'),
  },
};
