// Lock benchmark: /healthcheck latency of the reference server while deliveries keep arriving and
// another process holds the SQLite write lock, against the same load with no lock (the baseline),
// and with the lock wait raised to the 5 s SQLite setting the server used before.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { bodyBytes, signedDelivery, syncPagePayload } from '../../spec/src/index.ts';
import { projectRoot } from '../../support/src/projectRoot.ts';
import { BENCH_SECRET, startBenchServer } from './benchServer.ts';
import { percentile, runLoad } from './loadLoop.ts';

const LOAD_MS = 4_000;
const CONCURRENCY = 8;

async function holdWriteLock(file: string): Promise<ChildProcess> {
  const holder = spawn(
    process.execPath,
    [
      '-e',
      `const db = new (require('better-sqlite3'))(${JSON.stringify(file)});
       db.exec('BEGIN IMMEDIATE');
       process.stdout.write('locked\\n');
       process.stdin.on('end', () => process.exit(0));
       process.stdin.resume();`,
    ],
    { cwd: projectRoot, stdio: ['pipe', 'pipe', 'inherit'] },
  );
  await once(holder.stdout!, 'data');
  return holder;
}

/** Measures /healthcheck every 50 ms while signed pages are sent for LOAD_MS. */
async function measure(url: string) {
  const healthMs: number[] = [];
  const healthStatuses: Record<string, number> = {};
  const deliveryStatuses: Record<string, number> = {};
  const until = performance.now() + LOAD_MS;
  let page = 0;
  const deliveries = (async () => {
    while (performance.now() < until) {
      const batch = Array.from({ length: CONCURRENCY * 4 }, () =>
        signedDelivery({
          url: `${url}/users_sync`,
          secret: BENCH_SECRET,
          timestamp: Date.now(),
          body: bodyBytes(
            syncPagePayload({
              idToken: 'bench',
              segment: { id: 1, name: 'Lock' },
              syncTaskId: 'lock-bench',
              pageNumber: ++page,
              totalPages: 1_000_000,
              add: Array.from({ length: 100 }, (_, user) => `user-${page}-${user}@example.com`),
            }),
          ),
        }),
      );
      const result = await runLoad(batch, CONCURRENCY);
      for (const [status, count] of Object.entries(result.statuses))
        deliveryStatuses[status] = (deliveryStatuses[status] ?? 0) + count;
    }
  })();
  while (performance.now() < until) {
    const started = performance.now();
    const response = await fetch(`${url}/healthcheck`);
    await response.arrayBuffer();
    healthMs.push(performance.now() - started);
    healthStatuses[response.status] = (healthStatuses[response.status] ?? 0) + 1;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await deliveries;
  return { healthMs, healthStatuses, deliveryStatuses };
}

export async function runLockBenchmark(): Promise<boolean> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'lock-bench-'));
  let ok = true;
  try {
    console.log(
      `Lock: /healthcheck every 50 ms for ${LOAD_MS / 1000} s while 100-user pages arrive, ${CONCURRENCY} in flight`,
    );
    for (const [label, locked, busyTimeout] of [
      ['no lock (baseline)', false, undefined],
      ['lock held, busy timeout 200 ms (default)', true, undefined],
      ['lock held, busy timeout 5000 ms (before)', true, '5000'],
    ] as const) {
      const server = await startBenchServer(
        dir,
        busyTimeout ? { SQLITE_BUSY_TIMEOUT_MS: busyTimeout } : {},
      );
      const dbFile = path.join(dir, `bench-${new URL(server.url).port}.db`);
      const holder = locked ? await holdWriteLock(dbFile) : null;
      const result = await measure(server.url);
      holder?.stdin!.end();
      if (holder) await once(holder, 'exit');
      await server.stop();
      const max = Math.max(...result.healthMs);
      console.log(
        `  ${label.padEnd(42)} health p50 ${percentile(result.healthMs, 50).toFixed(1).padStart(6)} ms ` +
          `p99 ${percentile(result.healthMs, 99).toFixed(1).padStart(7)} ms max ${max.toFixed(0).padStart(5)} ms ` +
          `health ${JSON.stringify(result.healthStatuses)} deliveries ${JSON.stringify(result.deliveryStatuses)}`,
      );
      if (locked && busyTimeout === undefined) {
        const met = max < 1_000 && !('500' in result.deliveryStatuses);
        console.log(
          `    target: health max < 1 s and no 500 under a held lock: ${met ? 'met' : 'NOT met'}`,
        );
        ok &&= met;
      }
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return ok;
}
