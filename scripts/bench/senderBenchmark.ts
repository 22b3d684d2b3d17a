// Sender benchmark: `npm run send`'s pipeline (plan pages, sign each, send with retries armed)
// against a sink that answers 200 at once, next to autocannon sending the same request, same run.
import path from 'node:path';
import autocannon from 'autocannon';

import { signedDelivery } from '../../spec/src/index.ts';
import { projectRoot } from '../../support/src/projectRoot.ts';
import { runTypeScript, waitForUrl } from '../../support/src/spawnListening.ts';
import { deliverAll } from '../send/deliverAll.ts';
import { plannedPages } from '../send/plannedPages.ts';
import { deliveryOptions, parseSendArgs } from '../send/sendOptions.ts';

const secret = 'bench-webhook-secret';

interface Case {
  usersPerPage: number;
  concurrency: number;
  pages: number;
}

const cases: Case[] = [
  { usersPerPage: 100, concurrency: 1, pages: 6000 },
  { usersPerPage: 100, concurrency: 8, pages: 20_000 },
  { usersPerPage: 100, concurrency: 64, pages: 20_000 },
  { usersPerPage: 10_000, concurrency: 1, pages: 600 },
  { usersPerPage: 10_000, concurrency: 8, pages: 1000 },
  { usersPerPage: 10_000, concurrency: 64, pages: 1000 },
];

/** Pages/s of the signing and sending phase; planning the pages (building their JSON) is timed apart. */
async function senderPagesPerSecond(
  url: string,
  benchCase: Case,
): Promise<{ pagesPerSecond: number; planMs: number }> {
  const parsed = parseSendArgs(
    [
      'sync',
      '--url',
      url,
      '--secret',
      secret,
      '--users',
      String(benchCase.usersPerPage * benchCase.pages),
      '--page-size',
      String(benchCase.usersPerPage),
      '--concurrency',
      String(benchCase.concurrency),
    ],
    {},
  );
  if (parsed.kind !== 'run') throw new Error('bench: bad sender options');
  const { options } = parsed;
  const planStarted = performance.now();
  const planned = await plannedPages(options);
  const started = performance.now();
  const planMs = started - planStarted;
  const summary = await deliverAll(planned.pages, planned.total, deliveryOptions(options));
  if (summary.delivered !== benchCase.pages)
    throw new Error(`bench: only ${summary.delivered} pages delivered`);
  return { pagesPerSecond: benchCase.pages / ((performance.now() - started) / 1000), planMs };
}

/** autocannon sending the same signed page for a few seconds; its rate is the baseline. */
async function autocannonPagesPerSecond(
  url: string,
  benchCase: Case,
  body: Buffer,
): Promise<number> {
  const delivery = signedDelivery({ url, body, secret, timestamp: Date.now() });
  const started = performance.now();
  const result = await autocannon({
    url,
    method: 'POST',
    headers: delivery.headers,
    body: delivery.body,
    connections: benchCase.concurrency,
    duration: 3,
  });
  const seconds = (performance.now() - started) / 1000;
  if (result.non2xx > 0 || result.errors > 0) throw new Error('bench: autocannon saw failures');
  return result.requests.total / seconds;
}

/** Runs the benchmark and prints figures; returns false when a target was missed. */
export async function runSenderBenchmark(): Promise<boolean> {
  const sink = await waitForUrl(
    runTypeScript(path.join(projectRoot, 'scripts/bench/okSink.ts'), { cwd: projectRoot, env: {} }),
    /listening on (http:\/\/\S+)/,
  );
  let allMet = true;
  try {
    console.log('Sender: signed pages/s against a sink that answers 200 at once, vs autocannon');
    for (const benchCase of cases) {
      const onePage = parseSendArgs(['sync', '--users', String(benchCase.usersPerPage)], {});
      if (onePage.kind !== 'run') throw new Error('bench: bad sender options');
      const planned = await plannedPages({ ...onePage.options, pageSize: benchCase.usersPerPage });
      let page: { body: Buffer } | undefined;
      for await (page of planned.pages) break;
      // Warm-up, then the baseline and the sender back to back.
      await senderPagesPerSecond(sink.url, { ...benchCase, pages: Math.min(benchCase.pages, 50) });
      const baseline = await autocannonPagesPerSecond(sink.url, benchCase, page!.body);
      const { pagesPerSecond: sender, planMs } = await senderPagesPerSecond(sink.url, benchCase);
      const ratio = sender / baseline;
      allMet &&= ratio >= 0.7;
      console.log(
        `  ${String(benchCase.usersPerPage).padStart(5)} users/page, ${String(benchCase.concurrency).padStart(2)} in flight: ` +
          `sender ${sender.toFixed(0).padStart(6)} pages/s, autocannon ${baseline.toFixed(0).padStart(6)} pages/s, ` +
          `${(ratio * 100).toFixed(0)}% (target >= 70%: ${ratio >= 0.7 ? 'met' : 'NOT met'}); ` +
          `planning ${benchCase.pages} pages took ${planMs.toFixed(0)} ms before sending`,
      );
    }
  } finally {
    sink.child.kill('SIGTERM');
    await sink.exited;
  }
  return allMet;
}
