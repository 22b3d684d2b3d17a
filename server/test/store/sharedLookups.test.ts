// Overlapping lookups of one key share a query, and none takes the answer of a query that began
// before it did.
import test from 'ava';
import { SharedLookups } from '../../src/store/postgres/sharedLookups.ts';

/** A query per call, answered only when the test says so. */
function controlledQueries() {
  const calls: Array<{ key: string; answer: (value: boolean) => void; fail: () => void }> = [];
  const query = (key: string) =>
    new Promise<boolean>((resolve, reject) => {
      calls.push({ key, answer: resolve, fail: () => reject(new Error('query failed')) });
    });
  return { calls, query };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

test('lookups arriving while a query runs share the next one, begun after it', async (t) => {
  const { calls, query } = controlledQueries();
  const lookups = new SharedLookups(query);
  const first = lookups.lookup('a');
  const second = lookups.lookup('a');
  const third = lookups.lookup('a');
  t.is(calls.length, 1);
  // What the database said before the account was connected...
  calls[0]!.answer(false);
  t.false(await first);
  await tick();
  // ...is not the answer of lookups that began after that query did.
  t.is(calls.length, 2);
  calls[1]!.answer(true);
  t.true(await second);
  t.true(await third);
  t.is(calls.length, 2);
});

test('a lookup after the answers asks again: nothing is remembered', async (t) => {
  const { calls, query } = controlledQueries();
  const lookups = new SharedLookups(query);
  const first = lookups.lookup('a');
  calls[0]!.answer(false);
  t.false(await first);
  const again = lookups.lookup('a');
  t.is(calls.length, 2);
  calls[1]!.answer(true);
  t.true(await again);
});

test('lookups of other keys do not wait for each other', async (t) => {
  const { calls, query } = controlledQueries();
  const lookups = new SharedLookups(query);
  const a = lookups.lookup('a');
  const b = lookups.lookup('b');
  t.deepEqual(
    calls.map((call) => call.key),
    ['a', 'b'],
  );
  calls[1]!.answer(true);
  t.true(await b);
  calls[0]!.answer(false);
  t.false(await a);
});

test('a failed query fails the lookups sharing it; the waiting ones still get a query', async (t) => {
  const { calls, query } = controlledQueries();
  const lookups = new SharedLookups(query);
  const first = lookups.lookup('a');
  const second = lookups.lookup('a');
  calls[0]!.fail();
  await t.throwsAsync(first, { message: 'query failed' });
  await tick();
  t.is(calls.length, 2);
  calls[1]!.answer(true);
  t.true(await second);
  const failing = lookups.lookup('a');
  calls[2]!.fail();
  await t.throwsAsync(failing, { message: 'query failed' });
  const after = lookups.lookup('a');
  t.is(calls.length, 4);
  calls[3]!.answer(false);
  t.false(await after);
});
