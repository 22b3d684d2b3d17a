// The ingest benchmarks' receivers besides the reference server, each a child process: the durable
// floor (durableFloor.ts) and bare Koa (bareKoaSink.ts); and what the floor stored, read from its
// database once it stopped.
import path from 'node:path';
import { projectRoot } from '../../support/src/projectRoot.ts';
import {
  runTypeScript,
  waitForUrl,
  type ChildRun,
  type ListeningChild,
} from '../../support/src/spawnListening.ts';
import { BENCH_ID_TOKEN, BENCH_SECRET, startBenchServer, type BenchServer } from './benchServer.ts';
import type { FloorStore } from './floorReceiver.ts';
import { openPostgresFloorStore } from './postgresFloorStore.ts';
import { openSqliteFloorStore, type FloorInsert } from './sqliteFloorStore.ts';
import type { Started } from './startAll.ts';

const listening = /listening on (http:\/\/\S+)/;

/** The durable floor on `databaseUrl` (`sqlite:<file>` or `postgres://...`). */
export function startDurableFloor(
  databaseUrl: string,
  insert: FloorInsert = 'json-each',
): Promise<ListeningChild> {
  return waitForUrl(
    runTypeScript(path.join(projectRoot, 'scripts/bench/durableFloor.ts'), {
      cwd: projectRoot,
      env: { FLOOR_DATABASE_URL: databaseUrl, FLOOR_INSERT: insert, WEBHOOK_SECRET: BENCH_SECRET },
    }),
    listening,
  );
}

/** A bare Koa app that reads each body and answers 200: no check, nothing stored. */
export function startBareKoa(): Promise<ListeningChild> {
  return waitForUrl(
    runTypeScript(path.join(projectRoot, 'scripts/bench/bareKoaSink.ts'), {
      cwd: projectRoot,
      env: {},
    }),
    listening,
  );
}

export async function stopChild(run: ChildRun): Promise<void> {
  if (run.child.exitCode !== null || run.child.signalCode !== null) return;
  run.child.kill('SIGTERM');
  const force = setTimeout(() => run.child.kill('SIGKILL'), 5_000);
  await run.exited;
  clearTimeout(force);
}

/** A reference server for startAll; `env` as startBenchServer takes it. */
export async function startedServer(
  dir: string,
  env: Record<string, string>,
  name: string,
  inspection = true,
): Promise<Started<BenchServer>> {
  const running = await startBenchServer(dir, env, name, { inspection });
  return { value: running, stop: running.stop };
}

/** A child process being started, for startAll. */
export async function startedChild(
  starting: Promise<ListeningChild>,
): Promise<Started<ListeningChild>> {
  const running = await starting;
  return { value: running, stop: () => stopChild(running) };
}

/** The members the durable floor stored for each segment of the benchmarks' account. */
export async function floorMembersStored(
  databaseUrl: string,
  segmentIds: readonly number[],
): Promise<number[]> {
  const store: FloorStore = databaseUrl.startsWith('sqlite:')
    ? openSqliteFloorStore(databaseUrl.slice('sqlite:'.length), 'json-each')
    : await openPostgresFloorStore(databaseUrl);
  try {
    const counts: number[] = [];
    for (const id of segmentIds) counts.push((await store.stored(BENCH_ID_TOKEN, id)).members);
    return counts;
  } finally {
    await store.close();
  }
}
