// The page buffer pool: a buffer is handed out again only after it was given back, once.
import test from 'ava';
import { BodyBufferPool } from '../send/bodyBufferPool.ts';

const sameMemory = (a: Buffer, b: Buffer) => a.buffer === b.buffer;

test('a body is exactly the size asked for', (t) => {
  const pool = new BodyBufferPool();
  t.is(pool.take(4750).length, 4750);
  t.is(pool.take(1).length, 1);
});

test('a body given back is reused for a page that fits', (t) => {
  const pool = new BodyBufferPool();
  const first = pool.take(10_000);
  pool.give(first);
  const second = pool.take(10_050);
  t.true(sameMemory(first, second), 'a slightly larger page fits the spare room');
  t.is(second.length, 10_050);
});

test('bodies not given back are never handed out again', (t) => {
  const pool = new BodyBufferPool();
  const held = Array.from({ length: 10 }, () => pool.take(1000));
  const more = Array.from({ length: 10 }, () => pool.take(1000));
  for (const body of more) t.false(held.some((other) => sameMemory(body, other)));
});

test('the smallest spare that fits is used, and none far larger than the page', (t) => {
  const pool = new BodyBufferPool();
  const large = pool.take(100_000);
  const small = pool.take(1000);
  pool.give(large);
  pool.give(small);
  t.true(sameMemory(pool.take(900), small));
  t.false(sameMemory(pool.take(900), large), 'a 100 kB spare is kept for a large page');
  t.true(sameMemory(pool.take(90_000), large));
});

test('a body too large for every spare gets new memory', (t) => {
  const pool = new BodyBufferPool();
  const small = pool.take(100);
  pool.give(small);
  t.false(sameMemory(pool.take(100_000), small));
});

test('giving a body back twice frees it once: it is not handed to two pages', (t) => {
  const pool = new BodyBufferPool();
  const body = pool.take(1000);
  pool.give(body);
  pool.give(body);
  const a = pool.take(1000);
  const b = pool.take(1000);
  t.true(sameMemory(a, body));
  t.false(sameMemory(a, b));
  // The first body, given back again after its memory went to `a`, frees nothing.
  pool.give(body);
  t.false(sameMemory(pool.take(1000), a));
});

test('a buffer the pool did not lend is ignored', (t) => {
  const pool = new BodyBufferPool();
  const foreign = Buffer.alloc(1000);
  pool.give(foreign);
  t.false(sameMemory(pool.take(1000), foreign));
});
