// `npm run bench [-- <name> [options]]`: benchmarks that print figures and ratios against a
// baseline measured in the same run. With no name every benchmark runs with its defaults; a name
// runs that one and hands it the options after it. Exit 1 when a run's correctness check failed.
import { runFloodBenchmark } from './bench/floodBenchmark.ts';
import { runIngestBenchmark } from './bench/ingestBenchmark.ts';
import { parseIngestOptions } from './bench/ingestOptions.ts';
import { runPostgresIngestBenchmark } from './bench/postgresIngestBenchmark.ts';
import { runLockBenchmark } from './bench/lockBenchmark.ts';
import { runSenderBenchmark } from './bench/senderBenchmark.ts';

/** A benchmark: takes the options after its name, resolves false when a check or target failed. */
type Benchmark = (args: string[]) => Promise<boolean>;

const benchmarks: Record<string, Benchmark> = {
  ingest: (args) => {
    const parsed = parseIngestOptions(args);
    if (!parsed.ok) {
      console.error(`bench: ingest: ${parsed.error}`);
      process.exit(2);
    }
    return parsed.value.store === 'postgres'
      ? runPostgresIngestBenchmark(parsed.value)
      : runIngestBenchmark();
  },
  sender: (args) => runSenderBenchmark(args),
  flood: () => runFloodBenchmark(),
  lock: () => runLockBenchmark(),
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
