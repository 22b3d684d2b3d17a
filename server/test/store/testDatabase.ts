// A PostgreSQL database of its own for a test (random name), created from TEST_DATABASE_URL and
// dropped afterwards. Without TEST_DATABASE_URL the caller skips with a visible notice, except on
// CI (CI=true), where PostgreSQL is required and its absence fails the run.
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export const testDatabaseUrl = process.env.TEST_DATABASE_URL?.trim() || undefined;

export const POSTGRES_SKIP_NOTICE =
  'TEST_DATABASE_URL is not set: PostgreSQL store tests skipped (set it, e.g. postgres://postgres@127.0.0.1:5432/postgres)';

/** True when PostgreSQL tests must run; warns when they are skipped; throws on CI without one. */
export function postgresAvailable(): boolean {
  if (testDatabaseUrl) return true;
  if (process.env.CI === 'true')
    throw new Error('CI=true but TEST_DATABASE_URL is not set: the PostgreSQL tests cannot run');
  console.warn(POSTGRES_SKIP_NOTICE);
  return false;
}

async function adminQuery(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: testDatabaseUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** Creates an empty database and returns its URL; `teardown` drops it. */
export async function createTestDatabase(t: {
  teardown(fn: () => Promise<void> | void): void;
}): Promise<string> {
  const name = `store_test_${randomBytes(8).toString('hex')}`;
  await adminQuery(`CREATE DATABASE ${name}`);
  t.teardown(() => adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
  const url = new URL(testDatabaseUrl!);
  url.pathname = `/${name}`;
  return url.toString();
}
