// Starts the reference server as a child process for a benchmark, logging to a file, and reads its
// memory from /proc (Linux): the resident set now and its peak since start.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { freePort } from '../../support/src/freePort.ts';
import { projectRoot } from '../../support/src/projectRoot.ts';
import { runTypeScript, waitForHealthy, type ChildRun } from '../../support/src/spawnListening.ts';

export const BENCH_SECRET = 'bench-webhook-secret';

export interface BenchServer {
  run: ChildRun;
  url: string;
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

export async function startBenchServer(
  dir: string,
  env: Record<string, string>,
): Promise<BenchServer> {
  const port = await freePort();
  const run = runTypeScript(path.join(projectRoot, 'server/src/main.ts'), {
    cwd: projectRoot,
    logFile: path.join(dir, `server-${port}.log`),
    env: {
      HOST: '127.0.0.1',
      PORT: String(port),
      WEBHOOK_SECRET: BENCH_SECRET,
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
    async stop() {
      run.child.kill('SIGTERM');
      const force = setTimeout(() => run.child.kill('SIGKILL'), 5_000);
      await run.exited;
      clearTimeout(force);
    },
  };
}
