// `npm run bench -- ingest` flags: a bad one is one clear line and exit 2, before anything runs.
import test from 'ava';
import { runCli } from '../../support/testing/runCli.ts';

const cases: [string, { args: string[]; env?: Record<string, string>; want: RegExp }][] = [
  ['an unknown store', { args: ['--store', 'mysql'], want: /--store must be sqlite or postgres/ }],
  [
    'an unknown flag',
    { args: ['--stor', 'postgres'], want: /unknown flag --stor: did you mean --store\?/ },
  ],
  [
    'postgres without a database URL',
    { args: ['--store', 'postgres'], want: /--store postgres needs a PostgreSQL URL/ },
  ],
  [
    'postgres with a URL of another kind',
    {
      args: ['--store', 'postgres', '--database-url', 'mysql://x'],
      want: /--store postgres needs a PostgreSQL URL/,
    },
  ],
];

for (const [name, { args, env, want }] of cases) {
  test(`bench ingest: ${name} is a usage error`, async (t) => {
    const outcome = await runCli('scripts/bench.ts', ['ingest', ...args], { env });
    t.is(outcome.code, 2);
    t.regex(outcome.stderr, want);
    t.is(outcome.stderr.trim().split('\n').length, 1, outcome.stderr);
    t.is(outcome.stdout, '');
  });
}
