// A server killed with SIGKILL mid-load, restarted on the same SQLite file, and sent every page it
// had not acknowledged, ends with exactly the expected members: nothing lost, nothing applied twice.
import test from 'ava';
import { inspectedMembers } from '../../support/testing/inspectedMembers.ts';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { bodyBytes, signedDelivery, syncPagePayload } from '../../spec/src/index.ts';
import { postDelivery } from '../../support/testing/postDelivery.ts';
import { startServerProcess } from './helpers/serverProcess.ts';

const secret = 'crash-test-secret';
const adminToken = 'crash-test-admin-token';
const idToken = 'crash-account';
const segment = { id: 77, name: 'Crash' };
const totalPages = 300;
const usersPerPage = 40;

test('kill -9 mid-load, then redelivery of unacknowledged pages, loses and duplicates nothing', async (t) => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'crash-recovery-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const env = {
    DATABASE_URL: `sqlite:${path.join(dir, 'partner.db')}`,
    WEBHOOK_SECRET: secret,
    ADMIN_TOKEN: adminToken,
  };
  const pages = Array.from({ length: totalPages }, (_, index) =>
    bodyBytes(
      syncPagePayload({
        idToken,
        segment,
        syncTaskId: 'crash-task',
        pageNumber: index + 1,
        totalPages,
        add: Array.from(
          { length: usersPerPage },
          (_, user) => `p${index + 1}-u${user}@example.com`,
        ),
        // Each page removes a user the previous page added: the final set depends on every page.
        remove: index > 0 ? [`p${index}-u0@example.com`] : [],
      }),
    ),
  );
  const expected = new Set<string>();
  for (let index = 0; index < totalPages; index++) {
    for (let user = 0; user < usersPerPage; user++)
      expected.add(`p${index + 1}-u${user}@example.com`);
    if (index > 0) expected.delete(`p${index}-u0@example.com`);
  }

  const acknowledged = new Set<number>();
  const sendAll = async (url: string, indexes: number[], onAck?: () => void) => {
    let next = 0;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
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
          if (exchange.ok && exchange.status === 200) {
            acknowledged.add(index);
            onAck?.();
          }
        }
      }),
    );
  };

  const first = await startServerProcess(env);
  t.teardown(() => first.child.kill('SIGKILL'));
  const all = pages.map((_, index) => index);
  await sendAll(first.url, all, () => {
    if (acknowledged.size === 100) first.child.kill('SIGKILL');
  });
  t.deepEqual((await first.exited).signal, 'SIGKILL');
  t.true(
    acknowledged.size >= 100 && acknowledged.size < totalPages,
    `acknowledged ${acknowledged.size}`,
  );

  const second = await startServerProcess(env);
  t.teardown(() => second.child.kill('SIGKILL'));
  const unacknowledged = all.filter((index) => !acknowledged.has(index));
  await sendAll(second.url, unacknowledged);
  t.is(acknowledged.size, totalPages);

  const members = await inspectedMembers({
    baseUrl: second.url,
    adminToken,
    idToken,
    segmentId: segment.id,
  });
  t.is(members.length, expected.size);
  t.deepEqual([...members].sort(), [...expected].sort());

  const headers = { authorization: `Bearer ${adminToken}` };

  const tasks = (await (await fetch(`${second.url}/admin/sync-tasks`, { headers })).json()) as {
    sync_tasks: { pages: { page_number: number; result: string }[] }[];
  };
  const recorded = tasks.sync_tasks[0]!.pages;
  t.is(recorded.length, totalPages, 'each page recorded exactly once');
  t.true(recorded.every((page) => page.result === 'applied'));
  second.child.kill('SIGTERM');
  t.is((await second.exited).code, 0);
});
