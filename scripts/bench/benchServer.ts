// Starts the reference server as a child process for a benchmark, logging to a file, with the
// benchmarks' secret, account and inspection token; reads its memory from /proc (Linux) and the
// members it stored through its inspection API.
import { readFileSync } from 'node:fs';
import path from 'node:path';
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
  /** Resident set now and at its peak, in MB (null where /proc is not available). */
  memory(): { rssMb: number | null; peakRssMb: number | null };
  /** How many members the server has stored for a segment of the benchmarks' account. */
  memberCount(segmentId: number): Promise<number>;
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
 * `name` names its log file.
 */
export async function startBenchServer(
  dir: string,
  env: Record<string, string>,
  name?: string,
): Promise<BenchServer> {
  const port = await freePort();
  const run = runTypeScript(path.join(projectRoot, 'server/src/main.ts'), {
    cwd: projectRoot,
    logFile: path.join(dir, `${name ?? `server-${port}`}.log`),
    env: {
      HOST: '127.0.0.1',
      PORT: String(port),
      WEBHOOK_SECRET: BENCH_SECRET,
      ADMIN_TOKEN: BENCH_ADMIN_TOKEN,
      LOG_LEVEL: 'warn',
      DATABASE_URL: `sqlite:${path.join(dir, `bench-${port}.db`)}`,
      ...env,
    },
  });
  const url = `http://127.0.0.1:${port}`;
  await waitForHealthy(run, `${url}/healthcheck`);
  return {
    run,
    url,
    memory: () => ({
      rssMb: procStatusMb(run.child.pid!, 'VmRSS'),
      peakRssMb: procStatusMb(run.child.pid!, 'VmHWM'),
    }),
    async memberCount(segmentId) {
      const response = await fetch(`${url}/admin/segments?id_token=${BENCH_ID_TOKEN}`, {
        headers: { authorization: `Bearer ${BENCH_ADMIN_TOKEN}` },
      });
      const { segments } = (await response.json()) as {
        segments: { segment_id: number; member_count: number }[];
      };
      return segments.find((segment) => segment.segment_id === segmentId)?.member_count ?? 0;
    },
    async stop() {
      run.child.kill('SIGTERM');
      const force = setTimeout(() => run.child.kill('SIGKILL'), 5_000);
      await run.exited;
      clearTimeout(force);
    },
  };
}
