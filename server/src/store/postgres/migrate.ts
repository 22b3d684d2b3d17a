// Applies the migrations a database lacks, each in its own transaction, under an advisory lock so
// that instances starting together apply each migration exactly once and none runs on a half-made
// schema.
import type { Pool } from 'pg';
import { migrations as allMigrations, type Migration } from './migrations.ts';

/** The advisory lock key of schema changes (any constant shared by every instance). */
const MIGRATION_LOCK = 0x4865_6170; // "Heap"

export type MigrateResult = { ok: true; applied: number[] } | { ok: false; error: string };

export async function migrate(
  pool: Pool,
  migrations: readonly Migration[] = allMigrations,
): Promise<MigrateResult> {
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    try {
      await client.query(
        `CREATE TABLE IF NOT EXISTS schema_migrations (
           version integer PRIMARY KEY,
           description text NOT NULL,
           applied_at timestamptz NOT NULL DEFAULT now()
         )`,
      );
      const { rows } = await client.query<{ version: number }>(
        'SELECT version FROM schema_migrations',
      );
      const present = new Set(rows.map((row) => row.version));
      const known = Math.max(...migrations.map((m) => m.version));
      const newest = Math.max(0, ...present);
      if (newest > known) {
        return {
          ok: false,
          error: `the database has schema version ${newest}; this server knows up to ${known}`,
        };
      }
      const applied: number[] = [];
      for (const migration of migrations) {
        if (present.has(migration.version)) continue;
        await client.query('BEGIN');
        try {
          await client.query(migration.sql);
          await client.query(
            'INSERT INTO schema_migrations (version, description) VALUES ($1, $2)',
            [migration.version, migration.description],
          );
          await client.query('COMMIT');
        } catch (error) {
          await client.query('ROLLBACK');
          throw error;
        }
        applied.push(migration.version);
      }
      return { ok: true, applied };
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
    }
  } finally {
    client.release();
  }
}
