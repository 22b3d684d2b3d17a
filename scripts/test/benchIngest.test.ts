// `npm run bench -- ingest --quick --json FILE` on SQLite: it runs every receiver, passes its store
// check, and writes the stable JSON shape (per page size, the five figures as numbers).
import test from 'ava';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../../support/testing/runCli.ts';

const STABLE_KEYS = [
  'pagesPerSecond',
  'durableFloorPagesPerSecond',
  'durableFloorRatio',
  'cpuMicrosPerPage',
  'durableFloorCpuMicrosPerPage',
];

test('bench ingest --quick --json writes every figure of both page sizes', async (t) => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'bench-ingest-json-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'ingest.json');
  const outcome = await runCli('scripts/bench.ts', ['ingest', '--quick', '--json', file]);
  t.is(outcome.code, 0, outcome.stderr);
  t.regex(outcome.stdout, /store check \(every page answered 200, every member .*\): ok/);
  t.notRegex(outcome.stdout, /NOT met/);
  const figures = JSON.parse(await readFile(file, 'utf8')) as Record<
    string,
    Record<string, unknown>
  >;
  t.deepEqual(Object.keys(figures), ['small', 'large']);
  for (const [size, users] of [
    ['small', 100],
    ['large', 10_000],
  ] as const) {
    for (const key of [...STABLE_KEYS, 'metricsOffPagesPerSecond', 'bareKoaPagesPerSecond']) {
      const value = figures[size]![key];
      // CPU time is counted in clock ticks: a quick round may use less than one.
      const least = key.includes('Cpu') ? 0 : Number.MIN_VALUE;
      t.true(typeof value === 'number' && value >= least, `${size}.${key} = ${String(value)}`);
    }
    const {
      pagesPerSecond,
      durableFloorPagesPerSecond,
      durableFloorRatio,
      cpuMicrosPerPage,
      durableFloorCpuMicrosPerPage,
      durableFloorCpuRatio,
    } = figures[size] as Record<string, number | null>;
    // One round each: the median of the rounds' ratios is that round's ratio.
    t.true(Math.abs(durableFloorRatio! - pagesPerSecond! / durableFloorPagesPerSecond!) < 0.01);
    if (durableFloorCpuMicrosPerPage! > 0) {
      const expected = cpuMicrosPerPage! / durableFloorCpuMicrosPerPage!;
      t.true(Math.abs(durableFloorCpuRatio! - expected) < 0.01, `${size}: ${durableFloorCpuRatio}`);
    } else {
      t.is(durableFloorCpuRatio, null, `${size}: the floor used no clock tick`);
    }
    t.is(figures[size]!.usersPerPage, users);
    t.true(['jsonEach', 'perUser'].includes(figures[size]!.durableFloor as string));
  }
});
