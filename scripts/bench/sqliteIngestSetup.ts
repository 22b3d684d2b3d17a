// The receivers of `npm run bench -- ingest` on SQLite, each with a file of its own in a temporary
// folder: the reference server with metrics on and with metrics off, the durable floor with its
// two member inserts (one `json_each` statement per page, one prepared insert per user), and bare
// Koa.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { ListeningChild } from '../../support/src/spawnListening.ts';
import { membersStored, type BenchServer } from './benchServer.ts';
import {
  floorMembersStored,
  startBareKoa,
  startDurableFloor,
  startedChild,
  startedServer,
} from './benchReceivers.ts';
import type { IngestSetup, Receiver } from './ingestSetup.ts';
import { QUICK_PAGE_SIZES, type PageSize } from './ingestRounds.ts';
import type { FloorInsert } from './sqliteFloorStore.ts';
import { startAll } from './startAll.ts';

const SIZES: PageSize[] = [
  { name: 'small', usersPerPage: 100, pages: 4000, inFlight: 8 },
  { name: 'large', usersPerPage: 10_000, pages: 60, inFlight: 2 },
];

const FLOOR_LABELS: Record<FloorInsert, [label: string, jsonName: string]> = {
  'json-each': ['durable floor, json_each insert', 'jsonEach'],
  'per-user': ['durable floor, per-user insert', 'perUser'],
};

export async function sqliteIngestSetup(quick: boolean): Promise<IngestSetup> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'ingest-bench-'));
  const cleanup = () => rm(dir, { recursive: true, force: true });
  const floorFile = (insert: FloorInsert) => `sqlite:${path.join(dir, `floor-${insert}.db`)}`;
  let started;
  try {
    started = await startAll({
      // Logging to a file at the default level, as in production: not into a pipe the load
      // generator must drain.
      serverOn: startedServer(dir, { LOG_LEVEL: 'info' }, 'metrics-on'),
      serverOff: startedServer(dir, { LOG_LEVEL: 'info' }, 'metrics-off', false),
      jsonEach: startedChild(startDurableFloor(floorFile('json-each'), 'json-each')),
      perUser: startedChild(startDurableFloor(floorFile('per-user'), 'per-user')),
      bare: startedChild(startBareKoa()),
    });
  } catch (error) {
    await cleanup();
    throw error;
  }
  const { serverOn, serverOff, jsonEach, perUser, bare } = started.values;
  const server = (label: string, running: BenchServer): Receiver => ({
    label,
    target: { urls: [running.url], pids: [running.pid] },
    membersStored: (segments) => membersStored(running.databaseUrl, segments),
  });
  const floor = (insert: FloorInsert, running: ListeningChild) => {
    const [label, jsonName] = FLOOR_LABELS[insert];
    return {
      label,
      jsonName,
      target: { urls: [running.url], pids: [running.child.pid!] },
      membersStored: (segments: readonly number[]) =>
        floorMembersStored(floorFile(insert), segments),
    };
  };
  const receivers = {
    server: server('reference server (metrics on)', serverOn),
    metricsOff: server('reference server (metrics off)', serverOff),
    floors: [floor('json-each', jsonEach), floor('per-user', perUser)],
    bareKoa: {
      label: 'bare Koa (stores nothing)',
      target: { urls: [bare.url], pids: [bare.child.pid!] },
    },
    pairs: [],
  };
  return {
    title: 'SQLite ingest',
    sizes: quick ? QUICK_PAGE_SIZES : SIZES,
    receivers: () => receivers,
    stop: () => started.stop(),
    cleanup,
  };
}
