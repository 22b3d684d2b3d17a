// The ingest benchmark's ratios: the median of the rounds' own ratios, each round's server figure
// over the floor figure measured in the same round.
import test from 'ava';
import { pairedRatio } from '../bench/ingestReport.ts';

test('pairedRatio is the median of the per-round ratios, not the ratio of the medians', (t) => {
  // Rounds' ratios 1.2, 0.833 and 0.846; the medians' ratio would be 100 / 120 = 0.833.
  t.is(pairedRatio([60, 100, 110], [50, 120, 130])!.toFixed(3), '0.846');
  t.is(pairedRatio([90, 30, 100], [100, 40, 100]), 0.9);
  t.is(pairedRatio([250], [200]), 1.25);
});

test('pairedRatio has no figure when a round lacks one or the floor measured zero', (t) => {
  t.is(pairedRatio([100, null, 90], [100, 100, 100]), null);
  t.is(pairedRatio([100, 90], [100, null]), null);
  t.is(pairedRatio([100], [0]), null);
  t.is(pairedRatio([], []), null);
});
