// The CPU profile summary: self time per function from a profile's samples, and its CLI's usage errors.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import test from 'ava';
import { summariseCpuProfile, type CpuProfile } from '../bench/summariseCpuProfile.ts';
import { runCli } from '../../support/testing/runCli.ts';

const frame = (id: number, functionName: string, url = '', lineNumber = 0) => ({
  id,
  callFrame: { functionName, url, lineNumber },
});

// Three frames: a store write sampled for 6 ms in two stretches, a parse for 3 ms, idle for 1 ms.
const profile: CpuProfile = {
  nodes: [
    frame(1, '(root)'),
    frame(2, 'applyPage', 'file:///srv/server/src/store/sqlite/store.ts', 41),
    frame(3, 'parseJsonBody', 'file:///srv/server/src/webhook/parseJsonBody.ts', 9),
    frame(4, '(idle)'),
  ],
  samples: [2, 3, 2, 4],
  timeDeltas: [4000, 3000, 2000, 1000],
};

test('self time is summed per function and sorted, largest first', (t) => {
  const summary = summariseCpuProfile(profile);
  t.is(summary.totalMs, 10);
  t.deepEqual(
    summary.rows.map((row) => [row.frame, row.share]),
    [
      ['applyPage store.ts:42', 0.6],
      ['parseJsonBody parseJsonBody.ts:10', 0.3],
      ['(idle)', 0.1],
    ],
  );
});

test('the CLI prints the top functions of a profile file', async (t) => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'cpu-profile-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'server.cpuprofile');
  await writeFile(file, JSON.stringify(profile));
  const outcome = await runCli('scripts/cpuProfileSummary.ts', [file, '--top', '2']);
  t.is(outcome.code, 0, outcome.stderr);
  t.deepEqual(outcome.stdout.trim().split('\n'), [
    '10 ms sampled; self time by function:',
    ' 60.0%  applyPage store.ts:42',
    ' 30.0%  parseJsonBody parseJsonBody.ts:10',
  ]);
});

for (const [name, args, want] of [
  ['a bad --top', ['x.cpuprofile', '--top', '0'], /--top must be a positive integer/],
  ['no file', [], /give exactly one \.cpuprofile file/],
  ['an unknown flag', ['x.cpuprofile', '--tops', '3'], /unknown flag --tops: did you mean --top\?/],
  ['a file that is not a profile', ['/nonexistent.cpuprofile'], /is not a readable CPU profile/],
] as const) {
  test(`cpuProfileSummary: ${name} is one line and exit 2`, async (t) => {
    const outcome = await runCli('scripts/cpuProfileSummary.ts', [...args]);
    t.is(outcome.code, 2);
    t.regex(outcome.stderr, want);
    t.is(outcome.stderr.trim().split('\n').length, 1, outcome.stderr);
  });
}
