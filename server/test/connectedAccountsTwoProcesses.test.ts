// Two server processes on one database (PostgreSQL, or one SQLite file): deliveries for an account nobody connected are
// refused by both and write nothing when they refuse unknown accounts (or applied and answered
// `"connected": false` when they accept them), however many are in flight; once another instance
// has connected the account, both take its very next deliveries as a connected account's.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import test, { type ExecutionContext } from 'ava';
import { bodyBytes, signedDelivery, syncPagePayload } from '../../spec/src/index.ts';
import { postDelivery } from '../../support/testing/postDelivery.ts';
import { openStore, type Stores } from '../src/store/openStore.ts';
import { startServerProcess } from './helpers/serverProcess.ts';
import {
  createTestDatabase,
  POSTGRES_SKIP_NOTICE,
  postgresAvailable,
} from './store/testDatabase.ts';

const secret = 'connected-accounts-secret';
const idToken = 'connected-later-account';
const segment = { id: 7, name: 'Later' };
const inFlight = 12;

type StoreKind = 'sqlite' | 'postgres';

async function newDatabase(t: ExecutionContext, kind: StoreKind): Promise<string> {
  if (kind === 'postgres') return createTestDatabase(t);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'connected-accounts-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  return `sqlite:${path.join(dir, 'partner.db')}`;
}

/** Two servers on a new database, and the stores of a third instance on it. */
async function twoServers(
  t: ExecutionContext,
  kind: StoreKind,
  unknownAccounts: 'accept' | 'reject',
) {
  const databaseUrl = await newDatabase(t, kind);
  const env = {
    DATABASE_URL: databaseUrl,
    WEBHOOK_SECRET: secret,
    UNKNOWN_ACCOUNTS: unknownAccounts,
  };
  const servers = await Promise.all([startServerProcess(env), startServerProcess(env)]);
  for (const server of servers) t.teardown(() => server.child.kill('SIGKILL'));
  const opened = await openStore(databaseUrl);
  if (!opened.ok) throw new Error(opened.error);
  t.teardown(async () => {
    await opened.segments.close();
    await opened.connections.close();
    await opened.oauthStates.close();
  });

  // Pages of one sync, all in flight at once, half to each server.
  const deliverAll = (syncTaskId: string) =>
    Promise.all(
      Array.from({ length: inFlight }, async (_, index) => {
        const exchange = await postDelivery(
          signedDelivery({
            url: `${servers[index % 2]!.url}/users_sync`,
            body: bodyBytes(
              syncPagePayload({
                idToken,
                segment,
                syncTaskId,
                pageNumber: index + 1,
                totalPages: inFlight,
                add: [`user-${index}`],
              }),
            ),
            secret,
            timestamp: Date.now(),
          }),
        );
        if (!exchange.ok) throw new Error(`delivery failed: ${exchange.message}`);
        return exchange;
      }),
    );

  return { deliverAll, opened };
}

const connect = (opened: Stores) =>
  opened.connections.saveConnection({
    idToken,
    envId: '1',
    authorizedBy: 'someone@example.com',
    authorizedAt: new Date().toISOString(),
    sealedAccessToken: 'sealed',
    connectedAt: new Date(),
  });

const kinds: StoreKind[] = postgresAvailable() ? ['sqlite', 'postgres'] : ['sqlite'];
if (!kinds.includes('postgres')) test.skip(POSTGRES_SKIP_NOTICE, () => {});
for (const kind of kinds) {
  test(`${kind}: an account connected by another instance is taken at once by both; before, nothing is written`, async (t) => {
    const { deliverAll, opened } = await twoServers(t, kind, 'reject');
    const refused = await deliverAll('before');
    t.deepEqual(
      refused.map((exchange) => [exchange.status, JSON.parse(exchange.responseBody)]),
      refused.map(() => [403, { error: 'unknown_account' }]),
    );
    t.deepEqual(await opened.segments.listSegments({ idToken }), []);
    t.deepEqual(await opened.segments.listSyncTasks({ idToken }), []);

    await connect(opened);
    const taken = await deliverAll('after');
    t.deepEqual(
      taken.map((exchange) => [exchange.status, JSON.parse(exchange.responseBody)]),
      taken.map(() => [200, { result: 'applied', added: 1, removed: 0 }]),
    );
    const [listed] = await opened.segments.listSegments({ idToken });
    t.is(listed?.member_count, inFlight);
  });

  test(`${kind}: an account connected by another instance is seen at once when unknown accounts are accepted`, async (t) => {
    const { deliverAll, opened } = await twoServers(t, kind, 'accept');
    const before = await deliverAll('before');
    t.deepEqual(
      before.map((exchange) => [exchange.status, JSON.parse(exchange.responseBody)]),
      before.map(() => [200, { result: 'applied', added: 1, removed: 0, connected: false }]),
    );
    await connect(opened);
    const after = await deliverAll('after');
    t.deepEqual(
      after.map((exchange) => [exchange.status, JSON.parse(exchange.responseBody)]),
      after.map(() => [200, { result: 'applied', added: 1, removed: 0 }]),
    );
    const [listed] = await opened.segments.listSegments({ idToken });
    t.is(listed?.member_count, inFlight);
  });
}
