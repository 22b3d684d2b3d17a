// A seeded run sends the same segment ids and sync_task_ids every time; an unseeded one does not.
import test from 'ava';
import { runIdentifiers } from '../src/runner/runIdentifiers.ts';

const draw = (seed: number | null) => {
  const ids = runIdentifiers(seed);
  return [ids.firstSegmentId, ids.newSyncTaskId(), ids.newSyncTaskId()];
};

test('the same seed gives the same identifiers, another seed others', (t) => {
  t.deepEqual(draw(7), draw(7));
  t.notDeepEqual(draw(7), draw(8));
  const [first, task, next] = draw(7) as [number, string, string];
  t.true(first >= 900_000_000 && first < 1_800_000_000 && first % 10 === 0);
  t.regex(task, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-a[0-9a-f]{3}-[0-9a-f]{12}$/);
  t.not(task, next);
});

test('without a seed every run draws new identifiers', (t) => {
  t.notDeepEqual(draw(null), draw(null));
});
