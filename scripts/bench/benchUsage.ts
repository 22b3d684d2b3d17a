// `npm run bench -- --help`: the benchmarks and their flags.
import { commandLine } from '../../support/src/commandLine.ts';

export function benchUsage(env: NodeJS.ProcessEnv = process.env): string {
  const command = commandLine('bench', env);
  return `Usage: ${command} [<benchmark> [flags]]

Benchmarks that print figures and ratios against a baseline measured in the same run. With no
name, every benchmark runs with its defaults; a name runs that one with the flags after it
(docs/benchmarks.md describes each, and the figures measured).

Benchmarks:
  ingest   signed sync pages, small (100 users) and large (10,000 users), into the reference
           server with metrics on and off, against the durable floor (the simplest correct
           receiver doing the same durable work), and bare Koa as the cost of durability
    --store sqlite|postgres   the store (default sqlite)
    --database-url URL        for postgres: the database to create the benchmark's own from
                              (default TEST_DATABASE_URL)
    --json FILE               also write the figures to FILE as JSON
    --quick                   one short round of each, to check that it runs (figures mean little)
  sender   npm run send: peak memory on a large sync, pages/s against autocannon
    --users N                 users of the memory run (default 10000000)
    --quick                   shorter runs
  flood    peak memory of the reference server under many large uploads at once
  lock     health checks while another process holds the SQLite write lock

  -h, --help                  this help (also after a benchmark's name)

Exit status: 0 when every check held, 1 when a check or target failed, 2 for a bad name or flag.
Example: ${command} ingest --json ingest.json`;
}
