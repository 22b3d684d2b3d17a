// `npm run bench [-- ingest|sender]`: benchmarks that print figures and ratios against a baseline
// measured in the same run. Exit 1 when a run's correctness check failed.
import { runIngestBenchmark } from './bench/ingestBenchmark.ts';
import { runSenderBenchmark } from './bench/senderBenchmark.ts';

const benchmarks: Record<string, () => Promise<boolean>> = {
  ingest: runIngestBenchmark,
  sender: runSenderBenchmark,
};

const requested = process.argv.slice(2);
const unknown = requested.filter((name) => !(name in benchmarks));
if (unknown.length > 0) {
  console.error(
    `bench: unknown benchmark ${unknown.join(', ')}; choose from ${Object.keys(benchmarks).join(', ')}`,
  );
  process.exit(2);
}
let ok = true;
for (const name of requested.length > 0 ? requested : Object.keys(benchmarks)) {
  ok = (await benchmarks[name]!()) && ok;
}
process.exit(ok ? 0 : 1);
