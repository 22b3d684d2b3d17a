// Sender benchmark: peak memory of `npm run send` on a 10M-user sync (a child process), and the
// sender's end-to-end pages/s (pages built, signed, sent with retries armed) against the same
// pipeline given pre-built bodies and against autocannon sending one pre-built body, in one run.
import { spawn } from 'node:child_process';
import path from 'node:path';
import autocannon from 'autocannon';

import { signedDelivery } from '../../spec/src/index.ts';
import { projectRoot } from '../../support/src/projectRoot.ts';
import { runTypeScript, tsxLoader, waitForUrl } from '../../support/src/spawnListening.ts';
import { deliverAll } from '../send/deliverAll.ts';
import { plannedPages } from '../send/plannedPages.ts';
import { deliveryOptions, parseSendArgs, type SendOptions } from '../send/sendOptions.ts';
import type { SenderBenchOptions } from './senderBenchOptions.ts';

const secret = 'bench-webhook-secret';
const RSS_TARGET_MB = 200;
/** End to end against sign-and-send (the pipeline given pre-built bodies), in the same run. */
const RATIO_TARGET = 0.7;
/**
 * Each of the two is run this many times, alternately; the pair of runs (taken a moment apart,
 * under much the same load) whose ratio is the median is reported.
 */
const ROUNDS = 7;

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

function sendOptions(url: string, users: number, usersPerPage: number, concurrency: number) {
  const parsed = parseSendArgs(
    [
      'sync',
      '--url',
      url,
      '--secret',
      secret,
      '--users',
      String(users),
      '--page-size',
      String(usersPerPage),
      '--concurrency',
      String(concurrency),
    ],
    {},
  );
  if (parsed.kind !== 'run') throw new Error('bench: bad sender options');
  return parsed.options;
}

/** End-to-end pages/s of the sender's pipeline: from planning to the last answer. */
async function senderPagesPerSecond(url: string, benchCase: Case): Promise<number> {
  const { usersPerPage, pages, concurrency } = benchCase;
  const options = sendOptions(url, usersPerPage * pages, usersPerPage, concurrency);
  const started = performance.now();
  const planned = await plannedPages(options);
  const summary = await deliverAll(planned.pages, planned.total, deliveryOptions(options));
  if (summary.delivered !== pages) throw new Error(`bench: only ${summary.delivered} delivered`);
  return pages / ((performance.now() - started) / 1000);
}

/** The same pipeline given one pre-built body for every page: signing and sending alone. */
async function prebuiltPagesPerSecond(url: string, benchCase: Case, body: Buffer): Promise<number> {
  const { usersPerPage, pages, concurrency } = benchCase;
  const options = sendOptions(url, usersPerPage, usersPerPage, concurrency);
  const same = Array.from({ length: pages }, (_, index) => ({ label: `page ${index + 1}`, body }));
  const started = performance.now();
  const summary = await deliverAll(same, pages, deliveryOptions(options));
  if (summary.delivered !== pages) throw new Error(`bench: only ${summary.delivered} delivered`);
  return pages / ((performance.now() - started) / 1000);
}

async function firstPageBody(options: SendOptions): Promise<Buffer> {
  for await (const page of (await plannedPages(options)).pages) return page.body;
  throw new Error('bench: no page planned');
}

/** autocannon sending one pre-built signed page for a few seconds; its rate is the baseline. */
async function autocannonPagesPerSecond(
  url: string,
  benchCase: Case,
  seconds: number,
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
    duration: seconds,
  });
  const elapsed = (performance.now() - started) / 1000;
  if (result.non2xx > 0 || result.errors > 0) throw new Error('bench: autocannon saw failures');
  return result.requests.total / elapsed;
}

/** `npm run send` as a child process; its peak RSS is reported by a preloaded exit hook. */
async function sendInChild(url: string, users: number) {
  const child = spawn(
    process.execPath,
    [
      `--import=${tsxLoader}`,
      `--import=${path.join(projectRoot, 'scripts/bench/reportPeakRss.ts')}`,
      path.join(projectRoot, 'scripts/send.ts'),
      'sync',
      ...['--url', url, '--secret', secret, '--users', String(users)],
      ...['--page-size', '10000', '--concurrency', '8', '--json'],
    ],
    { cwd: projectRoot, env: { PATH: process.env.PATH ?? '' }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const started = performance.now();
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  const seconds = (performance.now() - started) / 1000;
  const peak = /peak-rss-kb (\d+)/.exec(stderr);
  if (code !== 0 || !peak) throw new Error(`bench: the sender failed (${code}): ${stderr}`);
  const summary = JSON.parse(stdout) as { delivered: number; deliveries: number };
  return { seconds, peakRssMb: Number(peak[1]) / 1024, ...summary };
}

/** Runs the benchmark and prints figures; returns false when a target was missed. */
export async function runSenderBenchmark(
  options: SenderBenchOptions = { users: 10_000_000, quick: false },
): Promise<boolean> {
  const { users, quick } = options;
  const sink = await waitForUrl(
    runTypeScript(path.join(projectRoot, 'scripts/bench/okSink.ts'), { cwd: projectRoot, env: {} }),
    /listening on (http:\/\/\S+)/,
  );
  let allMet = true;
  try {
    console.log(`Sender: npm run send, ${users} users in 10,000-user pages, 8 in flight`);
    const run = await sendInChild(sink.url, users);
    const rssMet = run.peakRssMb < RSS_TARGET_MB && run.delivered === run.deliveries;
    allMet &&= rssMet;
    console.log(
      `  ${run.delivered}/${run.deliveries} pages in ${run.seconds.toFixed(1)} s ` +
        `(${(run.delivered / run.seconds).toFixed(0)} pages/s, ${(users / run.seconds / 1000).toFixed(0)}k users/s), ` +
        `peak RSS ${run.peakRssMb.toFixed(0)} MB (target < ${RSS_TARGET_MB} MB: ${rssMet ? 'met' : 'NOT met'})`,
    );

    console.log(
      'Sender: end-to-end pages/s (built, signed, sent) vs the same pipeline given pre-built ' +
        `bodies (sign-and-send) and autocannon, same sink; the median of ${ROUNDS} pairs of runs`,
    );
    for (const full of cases) {
      const benchCase = quick ? { ...full, pages: Math.ceil(full.pages / 5) } : full;
      const body = await firstPageBody(
        sendOptions(sink.url, benchCase.usersPerPage, benchCase.usersPerPage, 1),
      );
      // A warm-up run of both pipelines, then the baseline, then the sender and sign-and-send
      // alternately: a busy machine slows runs unevenly, so only runs a moment apart are compared.
      await senderPagesPerSecond(sink.url, benchCase);
      await prebuiltPagesPerSecond(sink.url, benchCase, body);
      const baseline = await autocannonPagesPerSecond(sink.url, benchCase, quick ? 1 : 3, body);
      const pairs: { sender: number; prebuilt: number; ratio: number }[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        const sender = await senderPagesPerSecond(sink.url, benchCase);
        const prebuilt = await prebuiltPagesPerSecond(sink.url, benchCase, body);
        pairs.push({ sender, prebuilt, ratio: sender / prebuilt });
      }
      pairs.sort((a, b) => a.ratio - b.ratio);
      const { sender, prebuilt, ratio } = pairs[Math.floor(ROUNDS / 2)]!;
      const met = ratio >= RATIO_TARGET;
      allMet &&= met;
      const percent = (value: number) => `${(value * 100).toFixed(0)}%`;
      console.log(
        `  ${String(benchCase.usersPerPage).padStart(5)} users/page, ${String(benchCase.concurrency).padStart(2)} in flight: ` +
          `end to end ${sender.toFixed(0).padStart(6)} pages/s, sign-and-send ${prebuilt.toFixed(0).padStart(6)} pages/s, ` +
          `autocannon ${baseline.toFixed(0).padStart(6)} pages/s; ` +
          `end to end / sign-and-send ${percent(ratio)} (target >= ${percent(RATIO_TARGET)}: ${met ? 'met' : 'NOT met'}), ` +
          `end to end / autocannon ${percent(sender / baseline)}, sign-and-send / autocannon ${percent(prebuilt / baseline)}`,
      );
    }
  } finally {
    sink.child.kill('SIGTERM');
    await sink.exited;
  }
  return allMet;
}
