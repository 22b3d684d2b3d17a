// Ingest benchmark: signed sync pages into the reference server (a child process with a real
// SQLite file) against a bare Koa app that only reads the body (the floor), in the same run.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { projectRoot } from '../../support/src/projectRoot.ts';
import { runTypeScript, waitForUrl, type ChildRun } from '../../support/src/spawnListening.ts';
import { percentile, runLoad, type LoadResult } from './loadLoop.ts';
import { startBenchServer } from './benchServer.ts';
import { signedSyncPages } from './signedSyncPages.ts';

interface Scenario {
  usersPerPage: number;
  pages: number;
  concurrency: number;
}

const scenarios: Scenario[] = [
  { usersPerPage: 100, pages: 4000, concurrency: 8 },
  { usersPerPage: 10_000, pages: 60, concurrency: 2 },
];

const ROUNDS = 3;

const rate = (scenario: Scenario) => (result: LoadResult) =>
  (scenario.pages / (result.durationMs / 1000)).toFixed(0);

/** The item whose run took the median time. */
function median<T>(
  items: T[],
  resultOf: (item: T) => LoadResult = (item) => item as LoadResult,
): T {
  const sorted = [...items].sort((a, b) => resultOf(a).durationMs - resultOf(b).durationMs);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function stop(child: ChildRun): Promise<void> {
  child.child.kill('SIGTERM');
  await child.exited;
}

function buildPages(scenario: Scenario, segmentId: number, url: string) {
  return signedSyncPages({
    url,
    segmentId,
    pageIndexes: Array.from({ length: scenario.pages }, (_, page) => page),
    totalPages: scenario.pages,
    usersPerPage: scenario.usersPerPage,
  });
}

function describe(label: string, scenario: Scenario, result: LoadResult): string {
  const seconds = result.durationMs / 1000;
  const pagesPerSecond = scenario.pages / seconds;
  return (
    `  ${label.padEnd(16)} ${pagesPerSecond.toFixed(0).padStart(7)} pages/s ` +
    `${((pagesPerSecond * scenario.usersPerPage) / 1000).toFixed(0).padStart(7)}k users/s ` +
    `p50 ${percentile(result.latencies, 50).toFixed(1).padStart(6)} ms ` +
    `p99 ${percentile(result.latencies, 99).toFixed(1).padStart(6)} ms ` +
    `statuses ${JSON.stringify(result.statuses)}`
  );
}

/** Runs the benchmark, prints figures, and returns false when a check failed. */
export async function runIngestBenchmark(): Promise<boolean> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'ingest-bench-'));
  // The server logs to a file at the default level, as in production: not into a pipe the load
  // generator must drain.
  const server = await startBenchServer(dir, { LOG_LEVEL: 'info' }, 'server');
  const floor = await waitForUrl(
    runTypeScript(path.join(projectRoot, 'scripts/bench/bareKoaSink.ts'), {
      cwd: projectRoot,
      env: {},
    }),
    /listening on (http:\/\/\S+)/,
  );
  let allGood = true;
  try {
    console.log('Ingest: signed sync pages over keep-alive HTTP on loopback');
    let segmentId = 1;
    for (const scenario of scenarios) {
      console.log(
        `${scenario.usersPerPage} users/page, ${scenario.pages} pages, ${scenario.concurrency} in flight:`,
      );
      // Warm-up: the load generator and both servers compile their hot paths before measuring.
      const warmup = { ...scenario, pages: Math.ceil(scenario.pages / 4) };
      const warmId = segmentId++;
      await runLoad(buildPages(warmup, warmId, `${server.url}/users_sync`), scenario.concurrency);
      await runLoad(buildPages(warmup, warmId, `${floor.url}/users_sync`), scenario.concurrency);

      // Rounds alternate floor and server, and the median round of each is reported, so that a
      // burst of noise on the machine does not decide the ratio.
      const floorRounds: LoadResult[] = [];
      const serverRounds: { result: LoadResult; segment: number }[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        floorRounds.push(
          await runLoad(buildPages(scenario, 0, `${floor.url}/users_sync`), scenario.concurrency),
        );
        const segment = segmentId++;
        serverRounds.push({
          segment,
          result: await runLoad(
            buildPages(scenario, segment, `${server.url}/users_sync`),
            scenario.concurrency,
          ),
        });
      }
      const floorResult = median(floorRounds);
      const { result: serverResult, segment: measuredId } = median(serverRounds, (r) => r.result);
      console.log(describe('bare Koa (floor)', scenario, floorResult));
      console.log(describe('reference server', scenario, serverResult));
      const ratio = floorResult.durationMs / serverResult.durationMs;
      const usersPerSecond =
        (scenario.pages * scenario.usersPerPage) / (serverResult.durationMs / 1000);
      console.log(
        `  ratio: reference server at ${(ratio * 100).toFixed(0)}% of the floor's pages/s ` +
          `(median of ${ROUNDS} alternating rounds; all rounds: floor ${floorRounds.map(rate(scenario)).join(', ')}, ` +
          `server ${serverRounds.map((r) => rate(scenario)(r.result)).join(', ')} pages/s)`,
      );
      const stored = await server.memberCount(measuredId);
      const expected = scenario.pages * scenario.usersPerPage;
      const storeOk = stored === expected && serverResult.statuses['200'] === scenario.pages;
      console.log(
        `  store check: ${stored} members stored, ${expected} expected: ${storeOk ? 'ok' : 'MISMATCH'}`,
      );
      allGood &&= storeOk;
      if (scenario.usersPerPage === 100) {
        console.log(`  target: >= 50% of the floor: ${ratio >= 0.5 ? 'met' : 'NOT met'}`);
      } else {
        console.log(`  target: >= 300k users/s: ${usersPerSecond >= 300_000 ? 'met' : 'NOT met'}`);
      }
    }
  } finally {
    await server.stop();
    await stop(floor);
    await rm(dir, { recursive: true, force: true });
  }
  return allGood;
}
