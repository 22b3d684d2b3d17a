// `npm start` as a process manager, a container runtime or a terminal stops it: SIGINT, SIGTERM
// and SIGHUP, sent to the whole process group or to npm alone, once it runs or while it starts.
// Every process it started must be gone and both ports free within 5 s, every time.
import test from 'ava';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../../support/src/freePort.ts';
import { projectRoot } from '../../support/src/projectRoot.ts';

const STOPPED_WITHIN_MS = 5_000;

const groupAlive = (pgid: number): boolean => {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
};

const accepts = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

type Moment = 'running' | 'starting';

async function stopSandbox(
  t: import('ava').ExecutionContext,
  signal: NodeJS.Signals,
  target: 'group' | 'npm',
  moment: Moment,
): Promise<void> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'sandbox-signal-'));
  const [port, mockPort] = [await freePort(), await freePort()];
  // Its own process group, as a terminal or a container gives it.
  const npm = spawn('npm', ['start'], {
    cwd: projectRoot,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      PORT: String(port),
      MOCK_HEAP_PORT: String(mockPort),
      DATABASE_URL: `sqlite:${path.join(dir, 'sandbox.db')}`,
    },
  });
  const pgid = npm.pid!;
  t.teardown(async () => {
    if (groupAlive(pgid)) process.kill(-pgid, 'SIGKILL');
    await rm(dir, { recursive: true, force: true });
  });
  let output = '';
  npm.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  npm.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));

  // `starting`: the mock Heap listens, the server is being started.
  const ready =
    moment === 'running'
      ? async () => output.includes('Connect page:')
      : async () => await accepts(mockPort);
  const deadline = Date.now() + 110_000;
  while (!(await ready())) {
    if (Date.now() > deadline || !groupAlive(pgid)) {
      t.fail(`npm start did not get ${moment}:\n${output.slice(-2000)}`);
      return;
    }
    await sleep(50);
  }

  if (target === 'group') process.kill(-pgid, signal);
  else process.kill(pgid, signal);
  const signalled = performance.now();
  while (groupAlive(pgid) && performance.now() - signalled < STOPPED_WITHIN_MS) await sleep(50);
  t.false(groupAlive(pgid), `processes of npm start still running after ${STOPPED_WITHIN_MS} ms`);
  t.false(await accepts(port), 'the server port is free');
  t.false(await accepts(mockPort), 'the mock Heap port is free');
}

const cases: [NodeJS.Signals, 'group' | 'npm', Moment][] = [
  ['SIGINT', 'group', 'running'],
  ['SIGINT', 'npm', 'running'],
  ['SIGTERM', 'group', 'running'],
  ['SIGTERM', 'npm', 'running'],
  ['SIGHUP', 'group', 'running'],
  ['SIGHUP', 'npm', 'running'],
  ['SIGINT', 'group', 'starting'],
  ['SIGTERM', 'npm', 'starting'],
  ['SIGHUP', 'npm', 'starting'],
];
// START_SIGNAL_ROUNDS=5 repeats every case, to hunt for races.
const rounds = Number(process.env.START_SIGNAL_ROUNDS ?? '1');

for (let round = 1; round <= rounds; round++) {
  for (const [signal, target, moment] of cases) {
    const who = target === 'group' ? 'the process group' : 'npm alone';
    test.serial(
      `${signal} to ${who} while ${moment}: every process stops and both ports are free within 5 s${rounds > 1 ? ` (round ${round})` : ''}`,
      (t) => stopSandbox(t, signal, target, moment),
    );
  }
}
