// Two server processes on one PostgreSQL database that refuse unknown accounts: deliveries for an
// account nobody connected are refused by both and write nothing, however many are in flight; once
// another instance has connected the account, both take its very next deliveries.
import test from 'ava';
import { bodyBytes, signedDelivery, syncPagePayload } from '../../spec/src/index.ts';
import { postDelivery } from '../../support/testing/postDelivery.ts';
import { openStore } from '../src/store/openStore.ts';
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

if (!postgresAvailable()) {
  test.skip(POSTGRES_SKIP_NOTICE, () => {});
} else {
  test('an account connected by another instance is taken at once by both; before, nothing is written', async (t) => {
    const databaseUrl = await createTestDatabase(t);
    const env = { DATABASE_URL: databaseUrl, WEBHOOK_SECRET: secret, UNKNOWN_ACCOUNTS: 'reject' };
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

    const refused = await deliverAll('before');
    t.deepEqual(
      refused.map((exchange) => [exchange.status, JSON.parse(exchange.responseBody)]),
      refused.map(() => [403, { error: 'unknown_account' }]),
    );
    t.deepEqual(await opened.segments.listSegments({ idToken }), []);
    t.deepEqual(await opened.segments.listSyncTasks({ idToken }), []);

    await opened.connections.saveConnection({
      idToken,
      envId: '1',
      authorizedBy: 'someone@example.com',
      authorizedAt: new Date().toISOString(),
      sealedAccessToken: 'sealed',
      connectedAt: new Date(),
    });
    const taken = await deliverAll('after');
    t.deepEqual(
      taken.map((exchange) => [exchange.status, JSON.parse(exchange.responseBody)]),
      taken.map(() => [200, { result: 'applied', added: 1, removed: 0 }]),
    );
    const [listed] = await opened.segments.listSegments({ idToken });
    t.is(listed?.member_count, inFlight);
  });
}
