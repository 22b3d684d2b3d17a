// Group commit: concurrent units share one transaction, and a failing unit is rolled back alone.
import test from 'ava';
import Database from 'better-sqlite3';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { GroupCommit } from '../src/store/sqlite/groupCommit.ts';

async function openDb(t: { teardown(fn: () => Promise<void>): void }) {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'group-commit-'));
  const db = new Database(path.join(dir, 'g.db'));
  db.pragma('journal_mode = WAL');
  db.exec('CREATE TABLE t (v TEXT PRIMARY KEY)');
  t.teardown(async () => {
    db.close();
    await rm(dir, { recursive: true, force: true });
  });
  return db;
}

test('units queued together commit together; a failing unit is rolled back alone', async (t) => {
  const db = await openDb(t);
  const committed: number[] = [];
  const commits = new GroupCommit(db, { commitRecorder: { observe: (s) => committed.push(s) } });
  const insert = db.prepare('INSERT INTO t (v) VALUES (?)');
  const results = await Promise.allSettled([
    commits.run(() => insert.run('a').changes),
    commits.run(() => {
      insert.run('b');
      throw new Error('unit failed after writing');
    }),
    commits.run(() => insert.run('c').changes),
  ]);
  t.is(committed.length, 1);
  t.deepEqual(
    results.map((result) => result.status),
    ['fulfilled', 'rejected', 'fulfilled'],
  );
  t.deepEqual(db.prepare('SELECT v FROM t ORDER BY v').pluck().all(), ['a', 'c']);
});

test('a unit queued after a flush lands in a later transaction and still commits', async (t) => {
  const db = await openDb(t);
  const committed: number[] = [];
  const commits = new GroupCommit(db, {
    maxBatch: 2,
    commitRecorder: { observe: (s) => committed.push(s) },
  });
  const insert = db.prepare('INSERT INTO t (v) VALUES (?)');
  await Promise.all(['a', 'b', 'c', 'd', 'e'].map((v) => commits.run(() => insert.run(v))));
  t.is(committed.length, 3);
  await commits.run(() => insert.run('f'));
  t.is(committed.length, 4);
  t.is(db.prepare('SELECT COUNT(*) FROM t').pluck().get(), 6);
});

test('the commit recorder is told once per committed group transaction, never for a failed one', async (t) => {
  const db = await openDb(t);
  const observed: number[] = [];
  const commits = new GroupCommit(db, { commitRecorder: { observe: (s) => observed.push(s) } });
  const insert = db.prepare('INSERT INTO t (v) VALUES (?)');
  await Promise.all(['a', 'b', 'c'].map((v) => commits.run(() => insert.run(v))));
  t.is(observed.length, 1);
  await commits.run(() => insert.run('d'));
  t.is(observed.length, 2);
  t.true(observed.every((seconds) => Number.isFinite(seconds) && seconds >= 0));
  // A batch whose transaction cannot commit (another connection holds the write lock) is not one.
  db.pragma('busy_timeout = 0');
  const other = new Database(db.name);
  t.teardown(() => void other.close());
  other.exec('BEGIN IMMEDIATE');
  await t.throwsAsync(
    commits.run(() => insert.run('e')),
    { any: true, message: /locked/ },
  );
  t.is(observed.length, 2);
  other.exec('ROLLBACK');
});
