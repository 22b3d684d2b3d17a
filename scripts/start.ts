// `npm start`: the local sandbox. Starts the mock Heap and the reference server wired to each other
// on development defaults, prints what a partner needs, and stops both on Ctrl-C, SIGTERM or SIGHUP
// (or when npm itself goes away), whatever moment the signal arrives.
import { config as loadDotenv } from 'dotenv';
import path from 'node:path';
import { devDefaults, parseServerConfig, SERVER_LISTENING } from '../server/src/index.ts';
import { commandLine } from '../support/src/commandLine.ts';
import { projectRoot } from '../support/src/projectRoot.ts';
import {
  runTypeScript,
  waitForUrl,
  type ChildRun,
  type ListeningChild,
} from '../support/src/spawnListening.ts';
import { localCertificates } from './mockHeap/localCertificates.ts';
import { parseMockHeapConfig } from './mockHeap/mockHeapConfig.ts';
import { portIsFree } from './start/portIsFree.ts';
import { sandboxBanner } from './start/sandboxBanner.ts';
import { parseStartArgs, startUsage } from './start/startArgs.ts';

/** How long a child may take to stop after SIGTERM before it is killed: ports free within 5 s. */
const STOP_GRACE_MS = 3_000;

// A lost terminal (SIGHUP) must not crash this process before the children are stopped.
process.stdout.on('error', () => {});
process.stderr.on('error', () => {});

const children: ChildRun[] = [];
let stopping: Promise<void> | null = null;

async function stopAll(): Promise<void> {
  await Promise.all(
    children.map(async ({ child, exited }) => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const force = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
      await exited;
      clearTimeout(force);
    }),
  );
}

function shutdown(message: string, exitCode: number): Promise<void> {
  stopping ??= (async () => {
    console.log(message);
    await stopAll();
    console.log('Stopped.');
    process.exit(exitCode);
  })();
  return stopping;
}

// Installed before anything starts, so a signal during start-up stops what has started so far.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => void shutdown('\nStopping the mock Heap and the server...', 0));
}
// npm forwards SIGINT and SIGTERM, but dies of SIGHUP (or SIGKILL) and leaves this process behind:
// a new parent means npm is gone.
const parentPid = process.ppid;
setInterval(() => {
  if (process.ppid !== parentPid) void shutdown('npm exited: stopping the sandbox...', 0);
}, 250).unref();

const args = parseStartArgs(process.argv.slice(2));
if (args.kind === 'help') {
  console.log(startUsage);
  process.exit(0);
}
if (args.kind === 'error') {
  console.error(`start: ${args.message} (${commandLine('start')} --help lists the options)`);
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

const config = parseServerConfig(env);
if (!config.ok) {
  console.error(`start: configuration error: ${config.error}`);
  process.exit(2);
}
const host = config.config.host;
for (const [variable, value, where] of [
  ['PORT', port, host],
  ['MOCK_HEAP_PORT', mockPort, '127.0.0.1'],
] as const) {
  if (Number(value) !== 0 && !(await portIsFree(where, Number(value)))) {
    console.error(
      `start: port ${value} is already in use on ${where}: set ${variable} to a free port (for example ${variable}=${Number(value) + 1} npm start), or stop what is using it.`,
    );
    process.exit(1);
  }
}

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

function spawnChild(entry: string, args: string[] = []): ChildRun {
  const run = runTypeScript(path.join(projectRoot, entry), {
    cwd: process.cwd(),
    env,
    keepOutput: false,
    args,
  });
  children.push(run);
  return run;
}

try {
  const mock = await waitForUrl(
    spawnChild('scripts/mock-heap.ts', certificates ? ['--tls'] : []),
    /Mock Heap listening on (https?:\/\/\S+)/,
    120_000,
  );
  relay(mock, '[mock-heap]');
  if (stopping) await stopping;
  const server = await waitForUrl(spawnChild('server/src/main.ts'), SERVER_LISTENING);
  relay(server, '[server]');
  if (stopping) await stopping;
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
  for (const { exited } of children) {
    void exited.then(({ code, signal }) => {
      if (!stopping) {
        void shutdown(
          `start: a process ended unexpectedly (${signal ?? `exit ${code}`}); stopping the other`,
          1,
        );
      }
    });
  }
} catch (error) {
  // A child that exits because a signal arrived during start-up is not an error to report.
  if (stopping) await stopping;
  console.error(`start: ${(error as Error).message.split('\n')[0]}`);
  for (const child of children) console.error(child.output().slice(-2000));
  await shutdown('Stopping what started...', 1);
}
