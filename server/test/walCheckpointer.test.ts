// The SQLite store's checkpoints run on a thread of their own: committed pages reach the database
// file without waiting for SQLite's own 1000-page threshold, the thread stops with the store, and a
// thread that fails hands checkpointing back to the connection.
import test from 'ava';
import Database from 'better-sqlite3';
import { statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { SqliteSegmentStore } from '../src/store/sqlite/sqliteSegmentStore.ts';
import { walCheckpointer } from '../src/store/sqlite/walCheckpointer.ts';

async function tempDir(t: { teardown(fn: () => Promise<void>): void }): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'wal-checkpointer-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** Waits (up to 10 s) until `done` holds; false if it never did. */
async function eventually(done: () => boolean): Promise<boolean> {
  for (let waited = 0; waited < 10_000; waited += 20) {
    if (done()) return true;
    await sleep(20);
  }
  return done();
}

function walDatabase(file: string): Database.Database {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.exec('CREATE TABLE t (v INTEGER PRIMARY KEY)');
  return db;
}

test('pages a store committed reach the database file long before 1000 WAL pages', async (t) => {
  const file = path.join(await tempDir(t), 'store.db');
  const store = new SqliteSegmentStore({ file });
  t.teardown(() => store.close());
  // The schema itself waits in the WAL: the database file has no table pages yet.
  const before = statSync(file).size;
  for (const pageNumber of [1, 2, 3]) {
    const outcome = await store.applySyncPage({
      idToken: 'account',
      segment: { id: 7, name: 'Checkpointed' },
      syncTaskId: 'task',
      pageNumber,
      totalPages: 3,
      add: [`user-${pageNumber}@example.com`],
      remove: [],
      receivedAt: new Date(),
    });
    t.is(outcome.result, 'applied');
  }
  t.true(
    await eventually(() => statSync(file).size > before),
    `the database file stayed at ${before} bytes: nothing was checkpointed`,
  );
  const members = await store.listMembers('account', 7, { limit: 10 });
  t.deepEqual(members.members, ['user-1@example.com', 'user-2@example.com', 'user-3@example.com']);
});

test('the thread starts at the first commit and stops when closed', async (t) => {
  const file = path.join(await tempDir(t), 'unit.db');
  const db = walDatabase(file);
  t.teardown(() => db.close());
  const checkpointer = walCheckpointer(db, file, { gatherMs: 1 });
  t.is(db.pragma('wal_autocheckpoint', { simple: true }), 1000, 'nothing changes before a commit');
  db.prepare('INSERT INTO t (v) VALUES (1)').run();
  checkpointer.committed();
  t.is(db.pragma('wal_autocheckpoint', { simple: true }), 0);
  t.true(await eventually(() => checkpointer.checkpoints() >= 1));
  await checkpointer.close();
  const ran = checkpointer.checkpoints();
  db.prepare('INSERT INTO t (v) VALUES (2)').run();
  checkpointer.committed();
  await sleep(100);
  t.is(checkpointer.checkpoints(), ran, 'a commit after close started nothing');
  t.false(checkpointer.failed(), 'closing is not a failure');
});

test('a thread that fails hands checkpointing back to the connection, with a warning', async (t) => {
  const dir = await tempDir(t);
  const db = walDatabase(path.join(dir, 'unit.db'));
  t.teardown(() => db.close());
  const warnings: Error[] = [];
  const onWarning = (warning: Error) => warnings.push(warning);
  process.on('warning', onWarning);
  t.teardown(() => process.off('warning', onWarning));
  // The thread opens its file with fileMustExist: this one is not there.
  const checkpointer = walCheckpointer(db, path.join(dir, 'missing.db'));
  checkpointer.committed();
  t.true(await eventually(() => checkpointer.failed()));
  t.is(db.pragma('wal_autocheckpoint', { simple: true }), 1000);
  t.true(await eventually(() => warnings.length > 0));
  t.regex(warnings[0]!.message, /SQLite checkpoint thread stopped/);
  t.is((warnings[0] as Error & { code?: string }).code, 'SQLITE_CHECKPOINT_THREAD');
  await checkpointer.close();
});
