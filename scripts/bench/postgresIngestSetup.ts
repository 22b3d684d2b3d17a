// The receivers of `npm run bench -- ingest --store postgres`, all on one fresh database (created
// from the given URL, dropped at the end): the reference server with metrics on and with metrics
// off, the durable floor (one `unnest` statement per page), bare Koa, and for large pages two
// server instances sharing the database against the floor with as many pages in flight.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { membersStored, type BenchServer } from './benchServer.ts';
import {
  floorMembersStored,
  startBareKoa,
  startDurableFloor,
  startedChild,
  startedServer,
} from './benchReceivers.ts';
import type { IngestSetup, Receiver, SizeReceivers } from './ingestSetup.ts';
import { QUICK_PAGE_SIZES, type PageSize } from './ingestRounds.ts';
import { startAll } from './startAll.ts';

const SIZES: PageSize[] = [
  { name: 'small', usersPerPage: 100, pages: 2000, inFlight: 8 },
  { name: 'large', usersPerPage: 10_000, pages: 40, inFlight: 2 },
];

async function adminQuery(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

export async function postgresIngestSetup(adminUrl: string, quick: boolean): Promise<IngestSetup> {
  const name = `ingest_bench_${randomBytes(6).toString('hex')}`;
  await adminQuery(adminUrl, `CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const databaseUrl = url.toString();
  const dir = await mkdtemp(path.join(os.tmpdir(), 'ingest-pg-bench-'));
  const cleanup = async () => {
    await rm(dir, { recursive: true, force: true });
    await adminQuery(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  };
  // Logging at the default level, as in production.
  const env = { DATABASE_URL: databaseUrl, LOG_LEVEL: 'info' };
  let started;
  try {
    // The servers migrate the database under an advisory lock: they may start side by side.
    started = await startAll({
      first: startedServer(dir, env, 'metrics-on'),
      second: startedServer(dir, env, 'second'),
      off: startedServer(dir, env, 'metrics-off', false),
      floor: startedChild(startDurableFloor(databaseUrl)),
      bare: startedChild(startBareKoa()),
    });
  } catch (error) {
    await cleanup();
    throw error;
  }
  const { first, second, off, floor, bare } = started.values;
  const server = (label: string, servers: BenchServer[]): Receiver => ({
    label,
    target: { urls: servers.map((s) => s.url), pids: servers.map((s) => s.pid) },
    membersStored: (segments) => membersStored(databaseUrl, segments),
  });
  const durableFloor = (label: string, inFlight?: number) => ({
    label,
    jsonName: 'unnest',
    target: { urls: [floor.url], pids: [floor.child.pid!], inFlight },
    membersStored: (segments: readonly number[]) => floorMembersStored(databaseUrl, segments),
  });
  const common: Omit<SizeReceivers, 'pairs'> = {
    server: server('reference server (metrics on)', [first]),
    metricsOff: server('reference server (metrics off)', [off]),
    floors: [durableFloor('durable floor, unnest insert')],
    bareKoa: {
      label: 'bare Koa (stores nothing)',
      target: { urls: [bare.url], pids: [bare.child.pid!] },
    },
  };
  return {
    title: 'PostgreSQL ingest',
    sizes: quick ? QUICK_PAGE_SIZES : SIZES,
    receivers: (size) => ({
      ...common,
      pairs:
        size.name === 'large'
          ? [
              {
                jsonName: 'twoInstances',
                server: server(`2 server instances, ${size.inFlight} each`, [first, second]),
                floor: durableFloor(
                  `durable floor, ${2 * size.inFlight} in flight`,
                  2 * size.inFlight,
                ),
              },
            ]
          : [],
    }),
    stop: () => started.stop(),
    cleanup,
  };
}
