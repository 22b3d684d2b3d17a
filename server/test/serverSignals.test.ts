// The server process stops on SIGTERM in every state it can be in: idle, with its stdout pipe
// closed (the process that read its logs has gone), with a request still in flight, and while it
// is still starting.
import test from 'ava';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { runServerMain, startServerProcess } from './helpers/serverProcess.ts';

/** Resolves with how the process ended, or with 'still running' once `ms` passed after a signal. */
async function endOrStillRunning(
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>,
  ms: number,
) {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'still running'>((resolve) => {
    timer = setTimeout(() => resolve('still running'), ms);
  });
  const outcome = await Promise.race([exited, late]);
  clearTimeout(timer);
  return outcome;
}

async function tempDatabase(t: { teardown(fn: () => Promise<void>): void }) {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'server-signals-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  return `sqlite:${path.join(dir, 'partner.db')}`;
}

test('SIGTERM stops a server whose stdout reader has gone', async (t) => {
  const server = await startServerProcess({ DATABASE_URL: await tempDatabase(t) });
  t.teardown(() => server.child.kill('SIGKILL'));
  // The reader of its logs goes away (a parent killed, a closed terminal pipe).
  server.child.stdout!.destroy();
  server.child.stderr!.destroy();
  server.child.kill('SIGTERM');
  // The shutdown grace for open requests is 10 s; an idle server must be gone long before.
  t.deepEqual(await endOrStillRunning(server.exited, 8_000), { code: 0, signal: null });
});

test('a second SIGTERM stops a server that is waiting for a request in flight', async (t) => {
  const server = await startServerProcess({ DATABASE_URL: await tempDatabase(t) });
  t.teardown(() => server.child.kill('SIGKILL'));
  const { port } = new URL(server.url);
  const socket = net.connect(Number(port), '127.0.0.1');
  t.teardown(() => socket.destroy());
  // A signed-looking delivery whose body never finishes: the server reads it until its timeout.
  socket.write(
    'POST /users_sync HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n' +
      `Heap-Hash: ts:${Date.now()},hmac:${Buffer.alloc(32).toString('base64')}\r\n` +
      'Content-Length: 100000\r\n\r\n{"action_type":',
  );
  await new Promise((resolve) => setTimeout(resolve, 300));
  server.child.kill('SIGTERM');
  await new Promise((resolve) => setTimeout(resolve, 300));
  t.is(server.child.exitCode, null, 'the first signal waits for the request in flight');
  server.child.kill('SIGTERM');
  t.deepEqual(await endOrStillRunning(server.exited, 5_000), { code: 1, signal: null });
  t.regex(server.output(), /second signal: stopping now/);
});

test('SIGTERM during start-up stops the server before it listens', async (t) => {
  const run = runServerMain({ HOST: '127.0.0.1', PORT: '0', DATABASE_URL: await tempDatabase(t) });
  t.teardown(() => run.child.kill('SIGKILL'));
  run.child.kill('SIGTERM');
  const outcome = await endOrStillRunning(run.exited, 8_000);
  t.not(outcome, 'still running');
  t.notRegex(run.output(), /"msg":"listening"/);
});
