// Page buffers reused while pages are retried: every attempt of a page carries the same bytes, the
// contract's payload JSON, and only bodies answered 2xx are given back for reuse.
import test from 'ava';
import { bodyBytes, syncPagePayload } from '../../spec/src/index.ts';
import { startScriptedSink, type ScriptedAnswer } from '../../support/testing/scriptedSink.ts';
import { deliverAll, type PlannedBody } from '../send/deliverAll.ts';
import { plannedPages } from '../send/plannedPages.ts';
import { deliveryOptions, parseSendArgs } from '../send/sendOptions.ts';
import { simulatedUserIds } from '../send/userIds.ts';

const PAGE_SIZE = 100;
const sync = {
  idToken: 'reuse-account',
  segment: { id: 4242, name: 'Reuse' },
  syncTaskId: 'reuse',
};

function options(url: string, users: number, extra: string[] = []) {
  const parsed = parseSendArgs(
    [
      'sync',
      ...['--url', url, '--secret', 'reuse-secret', '--users', String(users)],
      ...['--page-size', String(PAGE_SIZE), '--concurrency', '4', '--retry-base-ms', '5'],
      ...['--id-token', sync.idToken, '--segment-id', String(sync.segment.id)],
      ...['--segment-name', sync.segment.name, '--sync-task-id', sync.syncTaskId],
      ...['--timeout', '60000', ...extra],
    ],
    {},
  );
  if (parsed.kind !== 'run') throw new Error('bad options');
  return parsed.options;
}

/** The pages, each recording in `released` when its body is given back. */
async function* recording(pages: AsyncIterable<PlannedBody>, released: string[]) {
  for await (const page of pages) {
    yield {
      ...page,
      release: () => {
        released.push(page.label);
        page.release?.();
      },
    };
  }
}

const expectedBody = (pageNumber: number, totalPages: number): Buffer =>
  bodyBytes(
    syncPagePayload({
      ...sync,
      pageNumber,
      totalPages,
      add: simulatedUserIds(PAGE_SIZE, (pageNumber - 1) * PAGE_SIZE),
    }),
  );

const pageNumberOf = (body: Buffer): number =>
  (JSON.parse(body.toString('utf8')) as { data: { sync_info: { page_number: number } } }).data
    .sync_info.page_number;

test('pages retried while later pages reuse buffers resend the same bytes, byte for byte', async (t) => {
  // Every other answer of the first 60 is a 503: pages wait for their retry while others go on.
  const script: ScriptedAnswer[] = Array.from({ length: 60 }, (_, index) => ({
    status: index % 2 ? 503 : 200,
  }));
  script.push({ status: 200 });
  const sink = await startScriptedSink(script);
  t.teardown(() => sink.close());
  const totalPages = 80;
  const sendOptions = options(sink.url, totalPages * PAGE_SIZE, ['--max-attempts', '60']);
  const planned = await plannedPages(sendOptions);
  const released: string[] = [];
  const summary = await deliverAll(
    recording(planned.pages, released),
    planned.total,
    deliveryOptions(sendOptions),
  );
  t.like(summary, { deliveries: totalPages, delivered: totalPages, givenUp: 0 });
  t.true(summary.retried > 10, 'several pages were retried');
  t.is(released.length, totalPages, 'every delivered body was given back');

  const attempts = new Map<number, Buffer[]>();
  for (const request of sink.requests) {
    const page = pageNumberOf(request.body);
    attempts.set(page, [...(attempts.get(page) ?? []), request.body]);
  }
  t.is(attempts.size, totalPages);
  for (const [page, bodies] of attempts) {
    const expected = expectedBody(page, totalPages);
    for (const body of bodies) t.true(body.equals(expected), `page ${page}: every attempt`);
  }
});

test('a body given up on is never given back for reuse', async (t) => {
  // With 4 in flight and one attempt each, the first 4 pages are answered 400 and given up.
  const sink = await startScriptedSink([
    { status: 400 },
    { status: 400 },
    { status: 400 },
    { status: 400 },
    { status: 200 },
  ]);
  t.teardown(() => sink.close());
  const sendOptions = options(sink.url, 20 * PAGE_SIZE, ['--max-attempts', '1']);
  const planned = await plannedPages(sendOptions);
  const released: string[] = [];
  const summary = await deliverAll(
    recording(planned.pages, released),
    planned.total,
    deliveryOptions(sendOptions),
  );
  t.like(summary, { delivered: 16, givenUp: 4 });
  t.is(released.length, 16);
  // The sink answered its first 4 requests 400: those pages, whichever they were, were given up.
  const givenUp = sink.requests.slice(0, 4).map((request) => pageNumberOf(request.body));
  t.deepEqual(
    [...released].sort(),
    Array.from({ length: 20 }, (_, index) => index + 1)
      .filter((page) => !givenUp.includes(page))
      .map((page) => `page ${page}/20`)
      .sort(),
  );
  for (const request of sink.requests) {
    t.true(request.body.equals(expectedBody(pageNumberOf(request.body), 20)));
  }
});
