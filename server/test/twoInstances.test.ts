// Two server processes on one PostgreSQL database: the pages of one sync are split between them
// and delivered concurrently, one is killed with SIGKILL mid-sync and restarted, the sync is
// redelivered in full, and the inspection API shows exactly the expected members.
import test from 'ava';
import { inspectedMembers } from '../../support/testing/inspectedMembers.ts';
import { bodyBytes, signedDelivery, syncPagePayload } from '../../spec/src/index.ts';
import { postDelivery } from '../../support/testing/postDelivery.ts';
import { startServerProcess } from './helpers/serverProcess.ts';
import {
  createTestDatabase,
  POSTGRES_SKIP_NOTICE,
  postgresAvailable,
} from './store/testDatabase.ts';

const secret = 'two-instances-secret';
const adminToken = 'two-instances-admin-token';
const idToken = 'two-instances-account';
const segment = { id: 88, name: 'Shared' };
const totalPages = 240;
// Under 10,000 members in all, so one inspection page lists them: a lone surrogate cannot travel
// in a URL's `after`.
const usersPerPage = 40;

/** Page n's users; about a quarter beyond ASCII, one a lone surrogate, as JSON allows. */
const userOf = (page: number, user: number) =>
  user === 1
    ? `p${page}-\ud800`
    : user % 4 === 0
      ? `zoë-${page}-${user}@exämple.org`
      : `p${page}-u${user}@example.com`;

if (!postgresAvailable()) {
  test.skip(POSTGRES_SKIP_NOTICE, () => {});
} else {
  test('two instances, one killed mid-sync and restarted, end with exact membership', async (t) => {
    // A password is never logged. Without one in TEST_DATABASE_URL the server trusts loopback and
    // ignores the one set here.
    const databaseUrl = new URL(await createTestDatabase(t));
    databaseUrl.password ||= 'never-logged-password-7';
    const password = decodeURIComponent(databaseUrl.password);
    const env = {
      DATABASE_URL: databaseUrl.toString(),
      WEBHOOK_SECRET: secret,
      ADMIN_TOKEN: adminToken,
    };
    const pages = Array.from({ length: totalPages }, (_, index) =>
      bodyBytes(
        syncPagePayload({
          idToken,
          segment,
          syncTaskId: 'shared-task',
          pageNumber: index + 1,
          totalPages,
          add: Array.from({ length: usersPerPage }, (_, user) => userOf(index + 1, user)),
          // Each page removes users the previous page added: the final set depends on every page.
          remove: index > 0 ? [userOf(index, 0), userOf(index, 1)] : [],
        }),
      ),
    );
    const expected = new Set<string>();
    for (let page = 1; page <= totalPages; page++) {
      for (let user = 0; user < usersPerPage; user++) expected.add(userOf(page, user));
      if (page > 1) for (const user of [0, 1]) expected.delete(userOf(page - 1, user));
    }

    const acknowledged = new Set<number>();
    const statuses: number[] = [];
    const sendAll = async (url: string, indexes: number[], onAck?: () => void) => {
      let next = 0;
      await Promise.all(
        Array.from({ length: 6 }, async () => {
          while (next < indexes.length) {
            const index = indexes[next++]!;
            const exchange = await postDelivery(
              signedDelivery({
                url: `${url}/webhooks/heap`,
                body: pages[index]!,
                secret,
                timestamp: Date.now(),
              }),
            );
            if (exchange.ok) statuses.push(exchange.status);
            if (exchange.ok && exchange.status === 200) {
              acknowledged.add(index);
              onAck?.();
            }
          }
        }),
      );
    };

    // Both start at once: the migrations are applied once, under the advisory lock.
    const [first, second] = await Promise.all([startServerProcess(env), startServerProcess(env)]);
    t.teardown(() => first.child.kill('SIGKILL'));
    t.teardown(() => second.child.kill('SIGKILL'));
    const all = pages.map((_, index) => index);
    const even = all.filter((index) => index % 2 === 0);
    const odd = all.filter((index) => index % 2 === 1);
    let firstAcks = 0;
    await Promise.all([
      sendAll(first.url, even, () => {
        if (++firstAcks === 30) first.child.kill('SIGKILL');
      }),
      sendAll(second.url, odd),
    ]);
    t.is((await first.exited).signal, 'SIGKILL');
    t.true(acknowledged.size < totalPages, `acknowledged ${acknowledged.size} before the restart`);

    const restarted = await startServerProcess(env);
    t.teardown(() => restarted.child.kill('SIGKILL'));
    // Heap redelivers the whole sync, again split between the two instances.
    await Promise.all([sendAll(restarted.url, odd), sendAll(second.url, even)]);
    t.is(acknowledged.size, totalPages);
    t.true(
      statuses.every((status) => status === 200),
      `statuses: ${[...new Set(statuses)].join()}`,
    );

    const members = await inspectedMembers({
      baseUrl: restarted.url,
      adminToken,
      idToken,
      segmentId: segment.id,
    });
    t.is(members.length, expected.size);
    t.deepEqual([...members].sort(), [...expected].sort());

    const headers = { authorization: `Bearer ${adminToken}` };

    const segments = (await (await fetch(`${second.url}/admin/segments`, { headers })).json()) as {
      segments: { member_count: number }[];
    };
    t.is(segments.segments[0]?.member_count, expected.size);
    const tasks = (await (await fetch(`${second.url}/admin/sync-tasks`, { headers })).json()) as {
      sync_tasks: { pages: { page_number: number; result: string; redeliveries: number }[] }[];
    };
    const recorded = tasks.sync_tasks[0]!.pages;
    t.is(recorded.length, totalPages, 'each page recorded exactly once');
    t.true(recorded.every((page) => page.result === 'applied'));
    t.true(
      recorded.some((page) => page.redeliveries > 0),
      'the full redelivery was seen',
    );
    for (const server of [second, restarted]) {
      server.child.kill('SIGTERM');
      t.is((await server.exited).code, 0);
    }
    for (const server of [first, second, restarted]) {
      t.regex(server.output(), /"database":"postgres:\/\/[^"]*:\*\*\*@/);
      t.false(server.output().includes(password));
    }
  });
}
