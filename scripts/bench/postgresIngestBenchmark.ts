// PostgreSQL ingest benchmark: signed 10k-user sync pages into one and into two reference server
// processes sharing one PostgreSQL database, against a floor measured in the same run (a one-file
// script bulk-inserting the same rows with pg). A fresh database is created and dropped.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { projectRoot } from '../../support/src/projectRoot.ts';
import { runTypeScript } from '../../support/src/spawnListening.ts';
import { runLoad, type LoadResult } from './loadLoop.ts';
import { startBenchServer, type BenchServer } from './benchServer.ts';
import { signedSyncPages } from './signedSyncPages.ts';

const USERS_PER_PAGE = 10_000;
const PAGES = 40;
/** Pages in flight per server instance (and per floor connection set). */
const IN_FLIGHT = 2;
const ROUNDS = 3;
const TARGET = 0.6;

export interface PostgresIngestOptions {
  /** An existing PostgreSQL database to create the benchmark's own database from. */
  adminUrl: string;
}

async function adminQuery(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

async function floorRun(databaseUrl: string, concurrency: number, segmentKey: number) {
  const run = runTypeScript(path.join(projectRoot, 'scripts/bench/bulkInsertFloor.ts'), {
    cwd: projectRoot,
    env: {
      DATABASE_URL: databaseUrl,
      PAGES: String(PAGES),
      USERS_PER_PAGE: String(USERS_PER_PAGE),
      CONCURRENCY: String(concurrency),
      SEGMENT_KEY: String(segmentKey),
    },
  });
  const { code } = await run.exited;
  const line = run.output().trim().split('\n').at(-1) ?? '';
  if (code !== 0) throw new Error(`the floor script failed:\n${run.output()}`);
  return (JSON.parse(line) as { durationMs: number }).durationMs;
}

/** Delivers one sync's pages, split round-robin over the servers, IN_FLIGHT each at once. */
async function serverRun(urls: string[], segmentId: number): Promise<{ ms: number; ok: boolean }> {
  const all = Array.from({ length: PAGES }, (_, page) => page);
  const loads = urls.map((url, index) =>
    signedSyncPages({
      url: `${url}/users_sync`,
      segmentId,
      pageIndexes: all.filter((page) => page % urls.length === index),
      totalPages: PAGES,
      usersPerPage: USERS_PER_PAGE,
    }),
  );
  const started = performance.now();
  const results: LoadResult[] = await Promise.all(loads.map((load) => runLoad(load, IN_FLIGHT)));
  const ms = performance.now() - started;
  const ok = results.every((result) => result.statuses['200'] === result.latencies.length);
  return { ms, ok };
}

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const usersPerSecond = (ms: number) => (PAGES * USERS_PER_PAGE) / (ms / 1000);
const k = (ms: number) => `${(usersPerSecond(ms) / 1000).toFixed(0)}k`;

/** Runs the benchmark, prints figures, and returns false when a check or the target failed. */
export async function runPostgresIngestBenchmark(options: PostgresIngestOptions): Promise<boolean> {
  const name = `ingest_bench_${randomBytes(6).toString('hex')}`;
  await adminQuery(options.adminUrl, `CREATE DATABASE ${name}`);
  const url = new URL(options.adminUrl);
  url.pathname = `/${name}`;
  const databaseUrl = url.toString();
  const dir = await mkdtemp(path.join(os.tmpdir(), 'ingest-pg-bench-'));
  const servers: BenchServer[] = [];
  let allGood = true;
  try {
    // Logging at the default level, as in production.
    const env = { DATABASE_URL: databaseUrl, LOG_LEVEL: 'info' };
    servers.push(await startBenchServer(dir, env, 'first'));
    servers.push(await startBenchServer(dir, env, 'second'));
    console.log(
      `PostgreSQL ingest: ${PAGES} pages of ${USERS_PER_PAGE.toLocaleString('en')} users, ` +
        `${IN_FLIGHT} in flight per instance, median of ${ROUNDS} alternating rounds`,
    );
    let segmentId = 1;
    // Warm-up: both servers and PostgreSQL compile and cache their hot paths before measuring.
    await serverRun(
      servers.map((s) => s.url),
      segmentId++,
    );
    await floorRun(databaseUrl, IN_FLIGHT, 0);
    for (const instances of [1, 2]) {
      const urls = servers.slice(0, instances).map((s) => s.url);
      const floors: number[] = [];
      const runs: number[] = [];
      let checked = true;
      for (let round = 0; round < ROUNDS; round++) {
        floors.push(await floorRun(databaseUrl, IN_FLIGHT * instances, segmentId));
        const segment = segmentId++;
        const run = await serverRun(urls, segment);
        runs.push(run.ms);
        const stored = await servers[0]!.memberCount(segment);
        checked &&= run.ok && stored === PAGES * USERS_PER_PAGE;
      }
      const floor = median(floors);
      const server = median(runs);
      const ratio = floor / server;
      console.log(
        `${instances} instance${instances > 1 ? 's' : ''} (${IN_FLIGHT * instances} pages in flight):`,
      );
      console.log(
        `  bulk insert floor ${k(floor).padStart(6)} users/s   (rounds ${floors.map(k).join(', ')})`,
      );
      console.log(
        `  reference server  ${k(server).padStart(6)} users/s   (rounds ${runs.map(k).join(', ')})`,
      );
      console.log(
        `  ratio: ${(ratio * 100).toFixed(0)}% of the floor; target >= ${TARGET * 100}%: ${ratio >= TARGET ? 'met' : 'NOT met'}`,
      );
      console.log(
        `  store check (every page 200, every member stored): ${checked ? 'ok' : 'MISMATCH'}`,
      );
      allGood &&= checked && ratio >= TARGET;
    }
  } finally {
    for (const server of servers) await server.stop();
    await rm(dir, { recursive: true, force: true });
    await adminQuery(options.adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  }
  return allGood;
}
