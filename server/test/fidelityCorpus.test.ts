// Every payload of the fidelity corpus, signed and posted as Heap sends it, is accepted and applied.
import test from 'ava';
import { fidelityCorpus, signedDelivery } from '../../spec/src/index.ts';
import { postDelivery } from '../../support/testing/postDelivery.ts';
import { UNASSIGNED_ACCOUNT } from '../src/webhook/unassignedAccount.ts';
import { TEST_ADMIN_TOKEN, TEST_SECRET, startTestServer } from './helpers/testServer.ts';

interface CorpusPayload {
  id_token?: string;
  data: { segment: { id: number }; add?: { id: string }[] };
}

for (const entry of fidelityCorpus()) {
  test(`${entry.name} (${entry.source}) is answered 200 and applied`, async (t) => {
    // A server per entry: several entries share a segment and sync task, and one would then be
    // answered as another's redelivery.
    const server = await startTestServer();
    t.teardown(() => server.close());
    const route = entry.action === 'segment.users.drain' ? '/users_drain' : '/users_sync';
    const payload = JSON.parse(entry.bytes.toString('utf8')) as CorpusPayload;
    const account = payload.id_token || UNASSIGNED_ACCOUNT;
    const segmentId = payload.data.segment.id;
    const members = async () => {
      const response = await fetch(`${server.url}/admin/segments/${account}/${segmentId}/members`, {
        headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` },
      });
      return ((await response.json()) as { members: string[] }).members;
    };

    const exchange = await postDelivery(
      signedDelivery({
        url: server.url + route,
        body: entry.bytes,
        secret: TEST_SECRET,
        timestamp: Date.now(),
      }),
    );
    if (!exchange.ok) return t.fail(exchange.message);
    t.is(exchange.status, 200, exchange.responseBody);
    const answer = JSON.parse(exchange.responseBody) as { result: string };
    t.is(answer.result, entry.action === 'segment.users.drain' ? 'drained' : 'applied');
    const added = (payload.data.add ?? []).map((user) => user.id).sort();
    t.deepEqual(await members(), added);
  });
}
