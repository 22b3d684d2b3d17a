// `npm start`: the local sandbox. Starts the mock Heap and the reference server wired to each other
// on development defaults, prints what a partner needs, and stops both on Ctrl-C.
import { config as loadDotenv } from 'dotenv';
import path from 'node:path';
import { devDefaults, SERVER_LISTENING } from '../server/src/index.ts';
import { projectRoot } from '../support/src/projectRoot.ts';
import { runTypeScript, waitForUrl, type ListeningChild } from '../support/src/spawnListening.ts';
import { localCertificates } from './mockHeap/localCertificates.ts';
import { parseMockHeapConfig } from './mockHeap/mockHeapConfig.ts';
import { sandboxBanner } from './start/sandboxBanner.ts';
import { parseStartArgs, startUsage } from './start/startArgs.ts';

const args = parseStartArgs(process.argv.slice(2));
if (args.kind === 'help') {
  console.log(startUsage);
  process.exit(0);
}
if (args.kind === 'error') {
  console.error(`start: ${args.message} (npm start -- --help lists the options)`);
  process.exit(2);
}
loadDotenv({ quiet: true });
const port = process.env.PORT?.trim() || String(devDefaults.port);
const mockPort = process.env.MOCK_HEAP_PORT?.trim() || String(devDefaults.mockHeapPort);
const secret = process.env.WEBHOOK_SECRET?.split(',')[0]?.trim() || devDefaults.webhookSecret;
const mockConfig = parseMockHeapConfig({ ...process.env, MOCK_HEAP_PORT: mockPort });
if (!mockConfig.ok) {
  console.error(`start: configuration error: ${mockConfig.error}`);
  process.exit(2);
}
// With --tls the server reaches the mock over HTTPS, trusting the local CA as any client would.
const certificates = args.tls ? await localCertificates(mockConfig.config.dataDir) : null;
const env: Record<string, string> = {
  ...(process.env as Record<string, string>),
  PORT: port,
  MOCK_HEAP_PORT: mockPort,
  HEAP_BASE_URL:
    process.env.HEAP_BASE_URL?.trim() ||
    `${certificates ? 'https' : 'http'}://127.0.0.1:${mockPort}`,
  ...(certificates ? { NODE_EXTRA_CA_CERTS: certificates.caFile } : {}),
};

const children: ListeningChild[] = [];
let stopping = false;
function relay(child: ListeningChild, prefix: string) {
  const forward = (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n')) {
      // The mock Heap prefixes its own request lines already.
      if (line.trim())
        process.stdout.write(line.startsWith(`${prefix} `) ? `${line}\n` : `${prefix} ${line}\n`);
    }
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
      args: certificates ? ['--tls'] : [],
    }),
    /Mock Heap listening on (https?:\/\/\S+)/,
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
  console.log(
    sandboxBanner({
      port,
      mockUrl: mock.url,
      webhookSecret: secret,
      adminToken: process.env.ADMIN_TOKEN?.trim() || undefined,
      databaseUrl: process.env.DATABASE_URL?.trim() || devDefaults.databaseUrl,
      caFile: certificates?.caFile ?? null,
    }),
  );
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
