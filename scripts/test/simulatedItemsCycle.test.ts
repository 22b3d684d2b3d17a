// Simulated users' items copied from the pre-encoded cycle: byte for byte what JSON.stringify writes,
// across digit counts, the cycle's wrap-around and the groups whose upper digits change.
import test from 'ava';
import { copySimulatedItems, simulatedItemsBytes } from '../send/simulatedItemsCycle.ts';
import { simulatedUserIds } from '../send/userIds.ts';

/** The items as the contract's payload has them: `{"id":...}` joined by commas. */
const expected = (from: number, count: number): Buffer =>
  Buffer.from(
    JSON.stringify(simulatedUserIds(count, from).map((id) => ({ id }))).slice(1, -1),
    'utf8',
  );

const ranges: [string, number, number][] = [
  ['one user', 0, 1],
  ['no user', 5, 0],
  ['the first 100 (1 and 2 digits)', 0, 100],
  ['across 9,999 -> 10,000 (written item by item, then from the cycle)', 9_990, 20],
  ['a 10,000-user page of 5-digit ids', 10_000, 10_000],
  ['across 99,999 -> 100,000', 99_950, 100],
  ['the cycle wrapping around (18,900 ids)', 18_900 * 6 - 7, 30],
  ['more than one whole cycle', 1_234_567, 40_000],
  ['a page of 7-digit ids not on a group boundary', 5_000_037, 10_000],
  ['the last ids of a 10M-user sync', 9_990_000, 10_000],
  ['8 and more digits', 99_999_990, 30],
  ['15 and 16 digits', 10 ** 15 - 5, 10],
];

for (const [name, from, count] of ranges) {
  test(`copied items are JSON.stringify's bytes: ${name}`, (t) => {
    const want = expected(from, count);
    t.is(simulatedItemsBytes(from, count), want.length);
    // Written at an offset, into a buffer whose other bytes must stay untouched.
    const target = Buffer.alloc(want.length + 20, 0xee);
    const end = copySimulatedItems(target, 7, from, count);
    t.is(end, 7 + want.length);
    t.is(target.subarray(7, end).toString('utf8'), want.toString('utf8'));
    t.true(target.subarray(0, 7).every((byte) => byte === 0xee));
    t.true(target.subarray(end).every((byte) => byte === 0xee));
  });
}

test('copied items overwrite whatever a reused buffer held', (t) => {
  const want = expected(3_000_000, 2_000);
  const target = Buffer.alloc(want.length * 2);
  copySimulatedItems(target, 0, 7_654_321, 2_000);
  t.is(copySimulatedItems(target, 0, 3_000_000, 2_000), want.length);
  t.true(target.subarray(0, want.length).equals(want));
});
