// `--help` on every entry point prints its usage and starts nothing; an unknown flag is one line
// and exit 2.
import test from 'ava';
import { runCli } from '../../support/testing/runCli.ts';

const entries = [
  ['npm start', 'scripts/start.ts', /^Usage: npm start/],
  ['npm run server', 'server/src/main.ts', /^Usage: npm run server/],
  ['npm run mock:heap', 'scripts/mock-heap.ts', /^Usage: npm run mock:heap -- \[--tls\]/],
] as const;

for (const [command, script, usage] of entries) {
  test(`${command} -- --help prints its usage and exits 0`, async (t) => {
    // A port that cannot be bound: if --help started anything, it would fail instead.
    const run = await runCli(script, ['--help'], { env: { PORT: '1', MOCK_HEAP_PORT: '1' } });
    t.is(run.code, 0, run.stderr);
    t.regex(run.stdout, usage);
    t.is(run.stderr, '');
  });

  test(`${command} with an unknown flag says so in one line and exits 2`, async (t) => {
    const run = await runCli(script, ['--no-such-flag'], {
      env: { PORT: '1', MOCK_HEAP_PORT: '1' },
    });
    t.is(run.code, 2);
    t.is(run.stderr.trim().split('\n').length, 1, run.stderr);
    t.regex(run.stderr, /no-such-flag/);
  });
}
