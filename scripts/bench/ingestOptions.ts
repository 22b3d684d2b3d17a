// The flags of `npm run bench -- ingest`: which store to measure (and for PostgreSQL, where), a
// JSON file for the figures, a quick run, and --help.
import { parseCliArgs } from '../../support/src/cliArgs.ts';
import { commandLine } from '../../support/src/commandLine.ts';

export type IngestStore = { store: 'sqlite' } | { store: 'postgres'; adminUrl: string };

export type IngestOptions = IngestStore & {
  /** Where to write the figures as JSON; null: only print them. */
  jsonFile: string | null;
  /** One short round of each receiver and page size. */
  quick: boolean;
};

export type ParsedIngestOptions =
  { kind: 'run'; options: IngestOptions } | { kind: 'help' } | { kind: 'error'; message: string };

const INGEST_FLAGS = {
  store: { type: 'string' },
  'database-url': { type: 'string' },
  json: { type: 'string' },
  quick: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

/** `--store sqlite|postgres` (default sqlite); `--database-url` or TEST_DATABASE_URL for postgres. */
export function parseIngestOptions(
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
): ParsedIngestOptions {
  let values: ReturnType<
    typeof parseCliArgs<{ args: string[]; options: typeof INGEST_FLAGS }>
  >['values'];
  try {
    ({ values } = parseCliArgs(
      { args, options: INGEST_FLAGS, allowPositionals: false },
      { command: `${commandLine('bench', env)} ingest`, env },
    ));
  } catch (error) {
    return { kind: 'error', message: (error as Error).message };
  }
  if (values.help) return { kind: 'help' };
  if (values.json !== undefined && values.json.trim() === '') {
    return { kind: 'error', message: '--json needs a file name, as in --json ingest.json' };
  }
  const common = { jsonFile: values.json ?? null, quick: values.quick ?? false };
  const store = values.store ?? 'sqlite';
  if (store === 'sqlite') return { kind: 'run', options: { store, ...common } };
  if (store !== 'postgres') {
    return { kind: 'error', message: `--store must be sqlite or postgres (got "${store}")` };
  }
  const adminUrl = values['database-url'] ?? env.TEST_DATABASE_URL?.trim();
  if (!adminUrl || !/^postgres(ql)?:\/\//.test(adminUrl)) {
    return {
      kind: 'error',
      message:
        '--store postgres needs a PostgreSQL URL to create its database from: --database-url postgres://... or TEST_DATABASE_URL',
    };
  }
  return { kind: 'run', options: { store, adminUrl, ...common } };
}
