// `npm start`: the local sandbox. Starts the mock Heap and the reference server wired to each other
// on development defaults, prints what a partner needs, and stops both on Ctrl-C.
import { config as loadDotenv } from 'dotenv';
import path from 'node:path';
import { devDefaults, SERVER_LISTENING } from '../server/src/index.ts';
import { projectRoot } from '../support/src/projectRoot.ts';
import { runTypeScript, waitForUrl, type ListeningChild } from '../support/src/spawnListening.ts';

loadDotenv({ quiet: true });
const port = process.env.PORT?.trim() || String(devDefaults.port);
const mockPort = process.env.MOCK_HEAP_PORT?.trim() || String(devDefaults.mockHeapPort);
const secret = process.env.WEBHOOK_SECRET?.split(',')[0]?.trim() || devDefaults.webhookSecret;
const env: Record<string, string> = {
  ...(process.env as Record<string, string>),
  PORT: port,
  MOCK_HEAP_PORT: mockPort,
  HEAP_BASE_URL: process.env.HEAP_BASE_URL?.trim() || `http://127.0.0.1:${mockPort}`,
};

const children: ListeningChild[] = [];
let stopping = false;
function relay(child: ListeningChild, prefix: string) {
  const forward = (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n'))
      if (line.trim()) process.stdout.write(`${prefix} ${line}\n`);
  };
  child.child.stdout!.on('data', forward);
  child.child.stderr!.on('data', forward);
}

async function stopAll(): Promise<void> {
  await Promise.all(
    children.map(async ({ child, exited }) => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    }),
  );
}

try {
  const mock = await waitForUrl(
    runTypeScript(path.join(projectRoot, 'scripts/mock-heap.ts'), {
      cwd: process.cwd(),
      env,
      keepOutput: false,
    }),
    /Mock Heap listening on (http:\/\/\S+)/,
    120_000,
  );
  children.push(mock);
  relay(mock, '[mock-heap]');
  const server = await waitForUrl(
    runTypeScript(path.join(projectRoot, 'server/src/main.ts'), {
      cwd: process.cwd(),
      env,
      keepOutput: false,
    }),
    SERVER_LISTENING,
  );
  children.push(server);
  relay(server, '[server]');
  const base = `http://localhost:${port}`;
  console.log(`
Heap Segment Sync sandbox is running (Ctrl-C stops both)
  Connect page:   ${base}/               (OAuth against the mock Heap at ${mock.url})
  Webhooks:       ${base}/users_sync  ${base}/users_drain  ${base}/webhooks/heap
  Webhook secret: ${secret === devDefaults.webhookSecret ? secret : '(the value of WEBHOOK_SECRET)'}
  Store:          ${process.env.DATABASE_URL?.trim() || devDefaults.databaseUrl}
  Send a sample sync:  npm run send -- sync
`);
  for (const child of children) {
    void child.exited.then(({ code, signal }) => {
      if (!stopping) {
        console.error(
          `start: a process ended unexpectedly (${signal ?? `exit ${code}`}); stopping the other`,
        );
        void stopAll().then(() => process.exit(1));
      }
    });
  }
} catch (error) {
  console.error(`start: ${(error as Error).message.split('\n')[0]}`);
  for (const child of children) console.error(child.output().slice(-2000));
  await stopAll();
  process.exit(1);
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    stopping = true;
    console.log('\nStopping the mock Heap and the server...');
    void stopAll().then(() => {
      console.log('Stopped.');
      process.exit(0);
    });
  });
}
