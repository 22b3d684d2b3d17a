// Starts the reference server as a child process for a benchmark, logging to a file, with the
// benchmarks' secret, account and (unless told otherwise) inspection token; reads its memory from
// /proc (Linux), and the members it stored by opening its database through the server's entry.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { openStore } from '../../server/src/index.ts';
import { freePort } from '../../support/src/freePort.ts';
import { projectRoot } from '../../support/src/projectRoot.ts';
import { runTypeScript, waitForHealthy, type ChildRun } from '../../support/src/spawnListening.ts';

export const BENCH_SECRET = 'bench-webhook-secret';
/** The account the benchmarks' deliveries belong to. */
export const BENCH_ID_TOKEN = 'bench-account';
const BENCH_ADMIN_TOKEN = 'bench-admin-token-000000';

export interface BenchServer {
  run: ChildRun;
  url: string;
  pid: number;
  /** Its DATABASE_URL. */
  databaseUrl: string;
  /** Resident set now and at its peak, in MB (null where /proc is not available). */
  memory(): { rssMb: number | null; peakRssMb: number | null };
  stop(): Promise<void>;
}

function procStatusMb(pid: number, field: 'VmRSS' | 'VmHWM'): number | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1];
    return kb === undefined ? null : Math.round(Number(kb) / 1024);
  } catch {
    return null;
  }
}

/**
 * `env` adds to or overrides the defaults (a SQLite file of its own in `dir`, LOG_LEVEL warn);
 * `name` names its log file. With `inspection: false` ADMIN_TOKEN is not set, which turns the
 * inspection API (and with it the metrics) off.
 */
export async function startBenchServer(
  dir: string,
  env: Record<string, string>,
  name?: string,
  options: { inspection?: boolean } = {},
): Promise<BenchServer> {
  const port = await freePort();
  const settings: Record<string, string> = {
    HOST: '127.0.0.1',
    PORT: String(port),
    WEBHOOK_SECRET: BENCH_SECRET,
    ...(options.inspection === false ? {} : { ADMIN_TOKEN: BENCH_ADMIN_TOKEN }),
    LOG_LEVEL: 'warn',
    DATABASE_URL: `sqlite:${path.join(dir, `bench-${port}.db`)}`,
    ...env,
  };
  const run = runTypeScript(path.join(projectRoot, 'server/src/main.ts'), {
    cwd: projectRoot,
    logFile: path.join(dir, `${name ?? `server-${port}`}.log`),
    env: settings,
  });
  const url = `http://127.0.0.1:${port}`;
  await waitForHealthy(run, `${url}/healthcheck`);
  return {
    run,
    url,
    pid: run.child.pid!,
    databaseUrl: settings.DATABASE_URL!,
    memory: () => ({
      rssMb: procStatusMb(run.child.pid!, 'VmRSS'),
      peakRssMb: procStatusMb(run.child.pid!, 'VmHWM'),
    }),
    async stop() {
      run.child.kill('SIGTERM');
      const force = setTimeout(() => run.child.kill('SIGKILL'), 5_000);
      await run.exited;
      clearTimeout(force);
    },
  };
}

/**
 * The members stored for each of these segments of the benchmarks' account, read from the database
 * at `databaseUrl` with the server's own store (open it when no server is writing to it).
 */
export async function membersStored(
  databaseUrl: string,
  segmentIds: readonly number[],
): Promise<number[]> {
  const opened = await openStore(databaseUrl);
  if (!opened.ok) throw new Error(opened.error);
  try {
    const segments = await opened.segments.listSegments({ idToken: BENCH_ID_TOKEN });
    const counts = new Map(segments.map((segment) => [segment.segment_id, segment.member_count]));
    return segmentIds.map((id) => counts.get(id) ?? 0);
  } finally {
    await opened.segments.close();
    await opened.connections.close();
    await opened.oauthStates.close();
  }
}
