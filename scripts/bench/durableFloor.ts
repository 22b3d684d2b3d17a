// The ingest benchmark's durable floor, run as a child process: floorReceiver.ts over the store
// FLOOR_DATABASE_URL names (`sqlite:<file>`, members inserted as FLOOR_INSERT says, or
// `postgres://...`), verifying with WEBHOOK_SECRET. Prints `durable floor listening on <url>`;
// SIGTERM stops it.
import { serveFloor, type FloorStore } from './floorReceiver.ts';
import { openPostgresFloorStore } from './postgresFloorStore.ts';
import { FLOOR_INSERTS, openSqliteFloorStore, type FloorInsert } from './sqliteFloorStore.ts';

const databaseUrl = process.env.FLOOR_DATABASE_URL ?? '';
const secret = process.env.WEBHOOK_SECRET ?? '';
const insert = (process.env.FLOOR_INSERT ?? 'json-each') as FloorInsert;
if (secret === '' || !FLOOR_INSERTS.includes(insert)) {
  console.error('durable floor: needs WEBHOOK_SECRET, and FLOOR_INSERT json-each or per-user');
  process.exit(2);
}

let store: FloorStore;
if (databaseUrl.startsWith('sqlite:')) {
  store = openSqliteFloorStore(databaseUrl.slice('sqlite:'.length), insert);
} else if (/^postgres(ql)?:\/\//.test(databaseUrl)) {
  store = await openPostgresFloorStore(databaseUrl);
} else {
  console.error('durable floor: FLOOR_DATABASE_URL must be sqlite:<file> or postgres://...');
  process.exit(2);
}

const served = await serveFloor(store, [secret]);
console.log(`durable floor listening on ${served.url}`);
process.on('SIGTERM', () => {
  void served
    .close()
    .then(() => store.close())
    .then(() => process.exit(0));
});
