// `npm run bench [-- <name> [flags]]`: benchmarks that print figures and ratios against a
// baseline measured in the same run. With no name every benchmark runs with its defaults; a name
// runs that one and hands it the flags after it. `--help` prints the usage; a bad name or flag is
// one line and exit 2; exit 1 when a run's check failed.
import { parseCliArgs } from '../support/src/cliArgs.ts';
import { commandLine } from '../support/src/commandLine.ts';
import { benchUsage } from './bench/benchUsage.ts';
import { parseIngestOptions } from './bench/ingestOptions.ts';
import { parseSenderBenchArgs } from './bench/senderBenchOptions.ts';

// The benchmarks themselves are loaded only once their flags are read: they load the server, the
// suite and their libraries, which --help and a bad flag need none of.

/** A benchmark: takes the flags after its name, resolves false when a check or target failed. */
type Benchmark = (args: string[]) => Promise<boolean>;

function usageError(name: string, message: string): never {
  console.error(`bench: ${name}: ${message} (see --help)`);
  process.exit(2);
}

function help(): never {
  console.log(benchUsage());
  process.exit(0);
}

/** A benchmark that takes no flags but --help. */
function withoutFlags(name: string, run: () => Promise<boolean>): Benchmark {
  return (args) => {
    try {
      const { values } = parseCliArgs(
        { args, options: { help: { type: 'boolean', short: 'h' } }, allowPositionals: false },
        { command: `${commandLine('bench')} ${name}`, env: process.env },
      );
      if (values.help) help();
    } catch (error) {
      usageError(name, (error as Error).message);
    }
    return run();
  };
}

const benchmarks: Record<string, Benchmark> = {
  ingest: async (args) => {
    const parsed = parseIngestOptions(args);
    if (parsed.kind === 'help') help();
    if (parsed.kind === 'error') usageError('ingest', parsed.message);
    const { runIngestBenchmark } = await import('./bench/ingestBenchmark.ts');
    return runIngestBenchmark(parsed.options);
  },
  sender: async (args) => {
    const parsed = parseSenderBenchArgs(args);
    if (parsed.kind === 'help') help();
    if (parsed.kind === 'error') usageError('sender', parsed.message);
    const { runSenderBenchmark } = await import('./bench/senderBenchmark.ts');
    return runSenderBenchmark(parsed.options);
  },
  flood: withoutFlags('flood', async () =>
    (await import('./bench/floodBenchmark.ts')).runFloodBenchmark(),
  ),
  lock: withoutFlags('lock', async () =>
    (await import('./bench/lockBenchmark.ts')).runLockBenchmark(),
  ),
};

const [name, ...args] = process.argv.slice(2);
if (name === '--help' || name === '-h') help();
if (name !== undefined && !(name in benchmarks)) {
  const names = Object.keys(benchmarks).join(', ');
  console.error(
    name.startsWith('-')
      ? `bench: flags follow a benchmark's name, as in ${commandLine('bench')} ingest ${[name, ...args].join(' ')}; choose from ${names} (see --help)`
      : `bench: unknown benchmark "${name}"; choose from ${names} (see --help)`,
  );
  process.exit(2);
}
let ok = true;
for (const [each, run] of Object.entries(benchmarks)) {
  if (name === undefined || name === each) ok = (await run(name === undefined ? [] : args)) && ok;
}
process.exit(ok ? 0 : 1);
