// The store suite against the PostgreSQL store, each test in a database of its own; and what only
// PostgreSQL has: migrations applied once when instances start together.
import test from 'ava';
import pg from 'pg';
import { openStore, type Stores } from '../../src/store/openStore.ts';
import { decodeExactText } from '../../src/store/exactText.ts';
import { migrations } from '../../src/store/postgres/migrations.ts';
import { StoreUnavailableError } from '../../src/store/storeUnavailableError.ts';
import { registerStoreSuite } from './storeSuite.ts';
import { createTestDatabase, POSTGRES_SKIP_NOTICE, postgresAvailable } from './testDatabase.ts';

async function closeAll(stores: Stores): Promise<void> {
  await stores.segments.close();
  await stores.connections.close();
  await stores.oauthStates.close();
}

async function openOrThrow(url: string): Promise<Stores> {
  const result = await openStore(url);
  if (!result.ok) throw new Error(result.error);
  return result;
}

if (!postgresAvailable()) {
  test.skip(POSTGRES_SKIP_NOTICE, () => {});
} else {
  registerStoreSuite(test, 'postgres', async (t) => {
    const url = await createTestDatabase(t);
    const opened: Stores[] = [];
    // Registered after the database's teardown, so it runs first (ava runs teardowns in reverse).
    t.teardown(async () => {
      for (const stores of opened) await closeAll(stores);
    });
    const reopen = async () => {
      const stores = await openOrThrow(url);
      opened.push(stores);
      return stores;
    };
    const stores = await reopen();
    return {
      stores,
      reopen,
      async ignoredDeliveries() {
        const client = new pg.Client({ connectionString: url });
        await client.connect();
        try {
          const { rows } = await client.query<{ id_token: Buffer | null; action_type: Buffer }>(
            'SELECT id_token, action_type FROM ignored_deliveries ORDER BY id',
          );
          return rows.map((row) => ({
            id_token: row.id_token === null ? null : decodeExactText(row.id_token),
            action_type: decodeExactText(row.action_type),
          }));
        } finally {
          await client.end();
        }
      },
    };
  });

  test('postgres: instances starting together apply each migration once', async (t) => {
    const url = await createTestDatabase(t);
    const opened = await Promise.all(Array.from({ length: 4 }, () => openStore(url)));
    t.teardown(async () => {
      for (const result of opened) if (result.ok) await closeAll(result);
    });
    t.true(opened.every((result) => result.ok));
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    t.teardown(() => client.end());
    const { rows } = await client.query<{ version: number }>(
      'SELECT version FROM schema_migrations ORDER BY version',
    );
    t.deepEqual(
      rows.map((row) => row.version),
      migrations.map((m) => m.version),
    );
  });

  test('postgres: a database from a newer server is refused with a clear error', async (t) => {
    const url = await createTestDatabase(t);
    const first = await openOrThrow(url);
    await closeAll(first);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query(
      "INSERT INTO schema_migrations (version, description) VALUES (999, 'from the future')",
    );
    await client.end();
    const result = await openStore(url);
    t.false(result.ok);
    t.regex(
      (result as { error: string }).error,
      /^DATABASE_URL: the database has schema version 999; this server knows up to \d+$/,
    );
  });

  test('postgres: an unreachable database is one clear error, without the password', async (t) => {
    const url = new URL(process.env.TEST_DATABASE_URL!);
    url.password = 'not-the-password-42';
    url.port = '1';
    const result = await openStore(url.toString());
    t.false(result.ok);
    const { error } = result as { error: string };
    t.regex(error, /^DATABASE_URL: cannot open the PostgreSQL database: /);
    t.false(error.includes('not-the-password-42'));
  });
}

if (postgresAvailable()) {
  test('postgres: a database that goes away gives 503-class faults (a page, an ignored delivery and an account lookup alike) and an unavailable health', async (t) => {
    const url = await createTestDatabase(t);
    const stores = await openOrThrow(url);
    t.teardown(() => closeAll(stores));
    t.deepEqual(await stores.segments.health?.(), { database: 'ok' });

    const name = new URL(url).pathname.slice(1);
    const admin = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
    await admin.connect();
    await admin.query(`DROP DATABASE ${name} WITH (FORCE)`);
    await admin.end();

    t.deepEqual(await stores.segments.health?.(), { database: 'unavailable' });
    const page = {
      idToken: 'account',
      segment: { id: 1, name: 'gone' },
      syncTaskId: 'task',
      pageNumber: 1,
      totalPages: 1,
      add: ['a@example.com'],
      remove: [],
      receivedAt: new Date(),
    };
    const error = await t.throwsAsync(stores.segments.applySyncPage(page));
    t.true(error instanceof StoreUnavailableError, String(error));
    const ignored = await t.throwsAsync(
      stores.segments.recordIgnoredDelivery({
        receivedAt: new Date(),
        idToken: 'account',
        actionType: 'segment.users.renamed',
      }),
    );
    t.true(ignored instanceof StoreUnavailableError, String(ignored));
    // The account lookup, made before a drain (and before a page where the store cannot make it
    // in the page's own statement), fails alike.
    const lookup = await t.throwsAsync(stores.connections.isConnected('account'));
    t.true(lookup instanceof StoreUnavailableError, String(lookup));
    const writer = stores.segments.accountPageWriter?.(stores.connections);
    const written = await t.throwsAsync(writer!(page, 'reject'));
    t.true(written instanceof StoreUnavailableError, String(written));
  });
}
