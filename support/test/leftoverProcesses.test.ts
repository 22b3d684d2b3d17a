// What the test run's leftover check counts: a new process whose command line points into the
// checkout, or marked with the run's id, while it lives; nothing that was running before, nothing
// once it ended, and not a process that merely works in the checkout (a developer's shell).
import test from 'ava';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { projectRoot } from '../src/projectRoot.ts';
import { leftoverProcesses, listProcesses, TEST_RUN_MARKER } from '../testing/leftoverProcesses.ts';

const idle = ['-e', 'setInterval(() => {}, 1000)'];
const idleScript = path.join(projectRoot, 'support', 'test', 'fixtures', 'idleProcess.mjs');
const exclude = new Set([process.pid]);

function spawnIdle(options: { cwd: string; env?: Record<string, string>; script?: string }) {
  const { script, ...spawnOptions } = options;
  const args = script ? [script] : idle;
  const child = spawn(process.execPath, args, { ...spawnOptions, stdio: 'ignore' });
  const exited = new Promise((resolve) => child.on('exit', resolve));
  return { child, stop: async () => (child.kill('SIGKILL'), await exited) };
}

test('a process running a file of the checkout is listed while alive, and not after it ended', async (t) => {
  const before = new Set(listProcesses().map((info) => info.pid));
  const idleRun = spawnIdle({
    cwd: os.tmpdir(),
    env: { PATH: process.env.PATH ?? '' },
    script: idleScript,
  });
  t.teardown(idleRun.stop);
  await new Promise((resolve) => setTimeout(resolve, 200));
  // Other test files run at the same time: only this test's process is looked for.
  const listed = () =>
    leftoverProcesses(before, listProcesses(), projectRoot, exclude).some(
      (info) => info.pid === idleRun.child.pid,
    );
  t.true(listed());
  await idleRun.stop();
  t.false(listed());
});

test('a process in a temp folder counts when it carries the run marker, not otherwise', async (t) => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'leftover-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const before = new Set(listProcesses().map((info) => info.pid));
  const marked = spawnIdle({ cwd: dir, env: { ...process.env, [TEST_RUN_MARKER]: 'run-1' } });
  const unmarked = spawnIdle({ cwd: dir, env: { PATH: process.env.PATH ?? '' } });
  t.teardown(marked.stop);
  t.teardown(unmarked.stop);
  await new Promise((resolve) => setTimeout(resolve, 200));
  const left = leftoverProcesses(before, listProcesses('run-1'), projectRoot, exclude).map(
    (info) => info.pid,
  );
  t.true(left.includes(marked.child.pid!));
  t.false(left.includes(unmarked.child.pid!));
});

test('an unmarked process that only works in the checkout is not counted', async (t) => {
  const before = new Set(listProcesses().map((info) => info.pid));
  const shell = spawnIdle({ cwd: projectRoot, env: { PATH: process.env.PATH ?? '' } });
  t.teardown(shell.stop);
  await new Promise((resolve) => setTimeout(resolve, 200));
  const left = leftoverProcesses(before, listProcesses('run-2'), projectRoot, exclude);
  t.false(left.some((info) => info.pid === shell.child.pid));
});

test('a process that was running before the run is never counted', (t) => {
  const now = listProcesses();
  const before = new Set(now.map((info) => info.pid));
  t.deepEqual(leftoverProcesses(before, now, projectRoot, exclude), []);
});
