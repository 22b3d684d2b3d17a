// `npm run bench` flags: --help prints the usage and runs nothing; a bad name or flag is one clear
// line and exit 2, before anything runs; `ingest --json FILE` is read as the file to write.
import test from 'ava';
import { runCli } from '../../support/testing/runCli.ts';
import { parseIngestOptions } from '../bench/ingestOptions.ts';

const cases: [string, { args: string[]; env?: Record<string, string>; want: RegExp }][] = [
  [
    'an unknown store',
    { args: ['ingest', '--store', 'mysql'], want: /--store must be sqlite or postgres/ },
  ],
  [
    'an unknown flag',
    { args: ['ingest', '--stor', 'postgres'], want: /unknown flag --stor: did you mean --store\?/ },
  ],
  [
    'postgres without a database URL',
    { args: ['ingest', '--store', 'postgres'], want: /--store postgres needs a PostgreSQL URL/ },
  ],
  [
    'postgres with a URL of another kind',
    {
      args: ['ingest', '--store', 'postgres', '--database-url', 'mysql://x'],
      want: /--store postgres needs a PostgreSQL URL/,
    },
  ],
  ['--json without a file', { args: ['ingest', '--json'], want: /--json needs a value/ }],
  ['--json with an empty name', { args: ['ingest', '--json='], want: /--json needs a file name/ }],
  ['--quick with a value', { args: ['ingest', '--quick=yes'], want: /--quick takes no value/ }],
  [
    'an unknown benchmark',
    { args: ['ingets'], want: /unknown benchmark "ingets"; choose from ingest, / },
  ],
  [
    'a flag before the name',
    {
      args: ['--json', 'out.json'],
      want: /flags follow a benchmark's name, as in npm run bench -- ingest --json out\.json/,
    },
  ],
  [
    'a flag of a benchmark that takes none',
    { args: ['flood', '--quick'], want: /bench: flood: unknown flag --quick/ },
  ],
  [
    'a bad sender flag',
    { args: ['sender', '--users', 'many'], want: /bench: sender: --users must be a whole number/ },
  ],
];

for (const [name, { args, env, want }] of cases) {
  test(`bench: ${name} is a usage error`, async (t) => {
    const outcome = await runCli('scripts/bench.ts', args, { env });
    t.is(outcome.code, 2);
    t.regex(outcome.stderr, want);
    t.is(outcome.stderr.trim().split('\n').length, 1, outcome.stderr);
    t.is(outcome.stdout, '');
  });
}

for (const args of [
  ['--help'],
  ['-h'],
  ['ingest', '--help'],
  ['ingest', '--store', 'postgres', '-h'],
  ['lock', '--help'],
]) {
  test(`bench ${args.join(' ')} prints the usage and exits 0`, async (t) => {
    const outcome = await runCli('scripts/bench.ts', args);
    t.is(outcome.code, 0, outcome.stderr);
    t.regex(outcome.stdout, /^Usage: npm run bench -- \[<benchmark> \[flags\]\]/);
    for (const name of ['ingest', 'sender', 'flood', 'lock', '--store', '--json FILE', '--quick']) {
      t.true(outcome.stdout.includes(name), name);
    }
    t.is(outcome.stderr, '');
  });
}

test('ingest --json names the file to write; the store and --quick are read beside it', (t) => {
  t.deepEqual(parseIngestOptions(['--json', 'figures.json'], {}), {
    kind: 'run',
    options: { store: 'sqlite', jsonFile: 'figures.json', quick: false },
  });
  t.deepEqual(parseIngestOptions([], {}), {
    kind: 'run',
    options: { store: 'sqlite', jsonFile: null, quick: false },
  });
  t.deepEqual(
    parseIngestOptions(['--store', 'postgres', '--json=pg.json', '--quick'], {
      TEST_DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/postgres',
    }),
    {
      kind: 'run',
      options: {
        store: 'postgres',
        adminUrl: 'postgres://postgres@127.0.0.1:5432/postgres',
        jsonFile: 'pg.json',
        quick: true,
      },
    },
  );
  t.deepEqual(parseIngestOptions(['--json', 'x.json', '--help'], {}), { kind: 'help' });
});
