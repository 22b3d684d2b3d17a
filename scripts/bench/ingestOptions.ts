// The options of `npm run bench -- ingest`: which store to measure, and for PostgreSQL, where.
import { parseCliArgs } from '../../support/src/cliArgs.ts';
import { commandLine } from '../../support/src/commandLine.ts';

export type IngestOptions = { store: 'sqlite' } | { store: 'postgres'; adminUrl: string };

export type ParsedIngestOptions = { ok: true; value: IngestOptions } | { ok: false; error: string };

/** `--store sqlite|postgres` (default sqlite); `--database-url` or TEST_DATABASE_URL for postgres. */
export function parseIngestOptions(
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
): ParsedIngestOptions {
  let values: { store?: string; 'database-url'?: string };
  try {
    ({ values } = parseCliArgs(
      {
        args,
        options: { store: { type: 'string' }, 'database-url': { type: 'string' } },
        allowPositionals: false,
      },
      { command: `${commandLine('bench', env)} ingest`, env },
    ));
  } catch (error) {
    return { ok: false, error: (error as Error).message };
  }
  const store = values.store ?? 'sqlite';
  if (store === 'sqlite') return { ok: true, value: { store } };
  if (store !== 'postgres')
    return { ok: false, error: `--store must be sqlite or postgres (got "${store}")` };
  const adminUrl = values['database-url'] ?? env.TEST_DATABASE_URL?.trim();
  if (!adminUrl || !/^postgres(ql)?:\/\//.test(adminUrl)) {
    return {
      ok: false,
      error:
        '--store postgres needs a PostgreSQL URL to create its database from: --database-url postgres://... or TEST_DATABASE_URL',
    };
  }
  return { ok: true, value: { store, adminUrl } };
}
