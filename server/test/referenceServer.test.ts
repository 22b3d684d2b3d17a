// The reference server started for a conformance run: with accounts given, a delivery for one of
// them is applied, one for any other account is refused (403 unknown_account) when told to, and a
// delivery naming no account is applied under the unassigned account; the credentials it makes up can
// be passed as flag values.
import test from 'ava';
import { bodyBytes, drainPayload, signedDelivery, syncPagePayload } from '../../spec/src/index.ts';
import { startReferenceServer } from '../src/index.ts';

type Server = { url: string; secret: string };

/** Posts `payload` signed to `route` of the server; its status and JSON body. */
const post = async (
  server: Server,
  route: string,
  payload: unknown,
): Promise<{ status: number; body: unknown }> => {
  const delivery = signedDelivery({
    url: `${server.url}${route}`,
    body: bodyBytes(payload),
    secret: server.secret,
    timestamp: Date.now(),
  });
  const response = await fetch(delivery.url, {
    method: 'POST',
    headers: delivery.headers,
    body: new Uint8Array(delivery.body),
  });
  return { status: response.status, body: await response.json() };
};

const deliver = async (
  server: Server,
  idToken: string | undefined,
): Promise<{ status: number; body: unknown }> => {
  const payload = syncPagePayload({
    idToken: idToken ?? '',
    segment: { id: 7, name: 'Seven' },
    syncTaskId: `task-${idToken ?? 'none'}`,
    pageNumber: 1,
    totalPages: 1,
    add: ['u1'],
  });
  const withoutAccount: Partial<typeof payload> = { ...payload };
  delete withoutAccount.id_token;
  return post(server, '/users_sync', idToken === undefined ? withoutAccount : payload);
};

test('with accounts given, only those are taken, and they are listed as connections', async (t) => {
  const server = await startReferenceServer({
    accounts: { connected: ['account-one'], unknown: 'reject' },
  });
  t.teardown(() => server.stop());
  t.is((await deliver(server, 'account-one')).status, 200);
  t.deepEqual(await deliver(server, 'account-two'), {
    status: 403,
    body: { error: 'unknown_account' },
  });
  t.is((await deliver(server, undefined)).status, 200);
  const listed = await fetch(`${server.url}/admin/connections`, {
    headers: { authorization: `Bearer ${server.adminToken}` },
  });
  const { connections } = (await listed.json()) as { connections: { id_token: string }[] };
  t.deepEqual(
    connections.map((connection) => connection.id_token),
    ['account-one'],
  );
  t.false(JSON.stringify(connections).includes('access_token'));
});

test('with accounts given, a drain for another account is refused and drains nothing', async (t) => {
  const server = await startReferenceServer({
    accounts: { connected: ['account-one'], unknown: 'reject' },
  });
  t.teardown(() => server.stop());
  const drain = (idToken: string) =>
    post(server, '/users_drain', drainPayload({ idToken, segment: { id: 7, name: 'Seven' } }));
  t.is((await deliver(server, 'account-one')).status, 200);
  t.deepEqual(await drain('account-two'), { status: 403, body: { error: 'unknown_account' } });
  t.like(await drain('account-one'), { status: 200, body: { result: 'drained', removed: 1 } });
});

test('without accounts given, every account is taken', async (t) => {
  const server = await startReferenceServer();
  t.teardown(() => server.stop());
  t.is((await deliver(server, 'account-two')).status, 200);
});

test('the secret and admin token it makes up never start with "-", so each can follow its flag as written', async (t) => {
  const server = await startReferenceServer();
  t.teardown(() => server.stop());
  // Hex has no "-" anywhere; Base64url starts one credential in 64 with it, and a CLI then reads
  // `--secret -abc…` as a flag with no value.
  t.regex(server.secret, /^[0-9a-f]{48}$/);
  t.regex(server.adminToken, /^[0-9a-f]{48}$/);
});
