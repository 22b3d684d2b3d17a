// `npm run bench [-- <name> [options]]`: benchmarks that print figures and ratios against a
// baseline measured in the same run. With no name every benchmark runs with its defaults; a name
// runs that one and hands it the options after it. Exit 1 when a run's correctness check failed.
import { runIngestBenchmark } from './bench/ingestBenchmark.ts';
import { runSenderBenchmark } from './bench/senderBenchmark.ts';

/** A benchmark: takes the options after its name, resolves false when a check or target failed. */
type Benchmark = (args: string[]) => Promise<boolean>;

const benchmarks: Record<string, Benchmark> = {
  ingest: () => runIngestBenchmark(),
  sender: (args) => runSenderBenchmark(args),
};

const [name, ...args] = process.argv.slice(2);
if (name !== undefined && !(name in benchmarks)) {
  console.error(
    `bench: unknown benchmark "${name}"; choose from ${Object.keys(benchmarks).join(', ')}`,
  );
  process.exit(2);
}
let ok = true;
for (const [each, run] of Object.entries(benchmarks)) {
  if (name === undefined || name === each) ok = (await run(name === undefined ? [] : args)) && ok;
}
process.exit(ok ? 0 : 1);
