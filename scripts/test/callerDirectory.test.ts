// Paths on the command line mean files in the caller's folder, also under `npm --prefix DIR run`.
import test from 'ava';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { projectRoot } from '../../support/src/projectRoot.ts';

const run = promisify(execFile);
let callerDir: string;

test.before(async () => {
  callerDir = await mkdtemp(path.join(os.tmpdir(), 'heap-sync-caller-'));
});
test.after.always(async () => {
  await rm(callerDir, { recursive: true, force: true });
});

/** npm as a user runs it: from `callerDir`, with this checkout as --prefix. */
function npmFromCaller(args: string[]) {
  return run('npm', ['--prefix', projectRoot, ...args], {
    cwd: callerDir,
    // No INIT_CWD inherited from a surrounding npm: npm sets it to callerDir.
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' },
    maxBuffer: 16 * 1024 * 1024,
  });
}

test('npm --prefix <repo> run conformance -- --json rel.json writes the report in the caller’s folder', async (t) => {
  await npmFromCaller(['run', 'conformance', '--', '--only', 'signature', '--json', 'rel.json']);
  const report = JSON.parse(await readFile(path.join(callerDir, 'rel.json'), 'utf8')) as {
    summary: { passed: number; failed: number };
  };
  t.true(report.summary.passed > 0);
  t.is(report.summary.failed, 0);
});

test('npm --prefix <repo> run send -- --body body.json reads the file from the caller’s folder', async (t) => {
  const body = '{"action_type":"segment.users.sync","marker":"from-the-caller"}';
  await writeFile(path.join(callerDir, 'body.json'), body);
  const { stdout } = await npmFromCaller([
    'run',
    'send',
    '--',
    'sync',
    '--body',
    'body.json',
    '--print-curl',
  ]);
  t.true(stdout.includes('from-the-caller'), stdout);
});
