// The figures of the ingest benchmarks: medians of rounds, ratios paired by round, the printed
// lines, and the stable JSON shape written by --json (per page size: pagesPerSecond,
// durableFloorPagesPerSecond, durableFloorRatio, cpuMicrosPerPage, durableFloorCpuMicrosPerPage,
// and more keys beside them).
import { percentile } from './loadLoop.ts';
import type { PageSize, Round } from './ingestRounds.ts';

export interface Summary {
  /** Median over the rounds. */
  pagesPerSecond: number;
  /** Median over the rounds; null without /proc. */
  cpuMicrosPerPage: number | null;
  /** Latencies of the median round, ms. */
  p50Ms: number;
  p99Ms: number;
  /** Pages/s of every round, in order. */
  rounds: number[];
  /** CPU per page of every round, in order; null without /proc. */
  cpuRounds: (number | null)[];
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

export function summarise(rounds: readonly Round[]): Summary {
  const byRate = [...rounds].sort((a, b) => a.pagesPerSecond - b.pagesPerSecond);
  const middle = byRate[Math.floor(byRate.length / 2)]!;
  const cpu = rounds.map((round) => round.cpuMicrosPerPage);
  return {
    pagesPerSecond: middle.pagesPerSecond,
    cpuMicrosPerPage: cpu.includes(null) ? null : median(cpu as number[]),
    p50Ms: percentile(middle.latencies, 50),
    p99Ms: percentile(middle.latencies, 99),
    rounds: rounds.map((round) => round.pagesPerSecond),
    cpuRounds: rounds.map((round) => round.cpuMicrosPerPage),
  };
}

/**
 * The median over the rounds of `a / b` in each round. Every round runs each receiver once, one
 * after the other, so a burst of other work on the machine that slows one round moves both figures
 * of its pair; the ratio of the two medians would compare rounds run at different times. Null when
 * a figure is missing or zero.
 */
export function pairedRatio(
  a: readonly (number | null)[],
  b: readonly (number | null)[],
): number | null {
  const ratios: number[] = [];
  for (const [index, value] of a.entries()) {
    const other = b[index];
    if (value === null || other === null || other === undefined || !(other > 0)) return null;
    ratios.push(value / other);
  }
  return ratios.length === 0 ? null : median(ratios);
}

const whole = (value: number) => Math.round(value).toLocaleString('en');
const cpuText = (micros: number | null) => (micros === null ? '?' : whole(micros));

/** One receiver's line: pages/s, users/s, CPU per page, latencies and every round's pages/s. */
export function describe(label: string, size: PageSize, summary: Summary): string {
  const kUsers = (summary.pagesPerSecond * size.usersPerPage) / 1000;
  return (
    `  ${label.padEnd(34)} ${whole(summary.pagesPerSecond).padStart(6)} pages/s ` +
    `${whole(kUsers).padStart(6)}k users/s  CPU ${cpuText(summary.cpuMicrosPerPage).padStart(7)} µs/page  ` +
    `p50 ${summary.p50Ms.toFixed(1).padStart(6)} ms  p99 ${summary.p99Ms.toFixed(1).padStart(6)} ms  ` +
    `(rounds ${summary.rounds.map(whole).join(', ')})`
  );
}

const pagesJson = (value: number) => Math.round(value * 10) / 10;
const cpuJson = (micros: number | null) => (micros === null ? null : Math.round(micros));
const ratioJson = (ratio: number | null) =>
  ratio === null ? null : Math.round(ratio * 1000) / 1000;

export interface Figure {
  label: string;
  summary: Summary;
}

const percent = (ratio: number) => `${(ratio * 100).toFixed(0)}%`;

/** `a` against `b`, round by round: pages/s and CPU per page, and the line that says both. */
function compare(a: Figure, b: Figure) {
  const pages = pairedRatio(a.summary.rounds, b.summary.rounds) ?? 0;
  const cpu = pairedRatio(a.summary.cpuRounds, b.summary.cpuRounds);
  const cpuText = cpu === null ? '' : `, ${cpu.toFixed(2)}x its CPU per page`;
  return { pages, cpu, text: `${percent(pages)} of its pages/s${cpuText}` };
}

/** A durable floor, under the name its JSON keys use (`jsonEachFloor...`). */
export interface FloorFigure extends Figure {
  jsonName: string;
}

export interface SizeFigures {
  server: Figure;
  metricsOff: Figure;
  /** The faster of these (median pages/s) is the durable floor. */
  floors: FloorFigure[];
  bareKoa: Figure;
  /** Further server/floor pairs (several instances), under their JSON name. */
  pairs: { jsonName: string; server: Figure; floor: Figure }[];
}

/**
 * Prints one page size's figures and comparisons, and returns its JSON: the five stable keys
 * first, then the rest.
 */
export function reportSize(
  size: PageSize,
  rounds: number,
  figures: SizeFigures,
): Record<string, number | string | null> {
  const { server, metricsOff, floors, bareKoa, pairs } = figures;
  for (const figure of [server, metricsOff, ...floors, bareKoa]) {
    console.log(describe(figure.label, size, figure.summary));
  }
  const floor = floors.reduce((best, each) =>
    each.summary.pagesPerSecond > best.summary.pagesPerSecond ? each : best,
  );
  if (floors.length > 1) console.log(`  the durable floor: ${floor.label} (the faster)`);
  const againstFloor = compare(server, floor);
  console.log(
    `  reference server / durable floor: ${againstFloor.text} (medians of the rounds' ratios)`,
  );
  console.log(`  metrics on / off: ${compare(server, metricsOff).text}`);
  console.log(
    `  cost of durability (not a target): the durable floor at ${percent(compare(floor, bareKoa).pages)} of bare Koa's pages/s`,
  );
  const json: Record<string, number | string | null> = {
    pagesPerSecond: pagesJson(server.summary.pagesPerSecond),
    durableFloorPagesPerSecond: pagesJson(floor.summary.pagesPerSecond),
    durableFloorRatio: ratioJson(againstFloor.pages),
    cpuMicrosPerPage: cpuJson(server.summary.cpuMicrosPerPage),
    durableFloorCpuMicrosPerPage: cpuJson(floor.summary.cpuMicrosPerPage),
    durableFloorCpuRatio: ratioJson(againstFloor.cpu),
    metricsOffPagesPerSecond: pagesJson(metricsOff.summary.pagesPerSecond),
    metricsOffCpuMicrosPerPage: cpuJson(metricsOff.summary.cpuMicrosPerPage),
    bareKoaPagesPerSecond: pagesJson(bareKoa.summary.pagesPerSecond),
    bareKoaCpuMicrosPerPage: cpuJson(bareKoa.summary.cpuMicrosPerPage),
    durableFloor: floor.jsonName,
    usersPerPage: size.usersPerPage,
    pagesPerRound: size.pages,
    pagesInFlight: size.inFlight,
    rounds,
  };
  if (floors.length > 1) {
    for (const each of floors) {
      json[`${each.jsonName}FloorPagesPerSecond`] = pagesJson(each.summary.pagesPerSecond);
      json[`${each.jsonName}FloorCpuMicrosPerPage`] = cpuJson(each.summary.cpuMicrosPerPage);
    }
  }
  for (const pair of pairs) {
    console.log(describe(pair.server.label, size, pair.server.summary));
    console.log(describe(pair.floor.label, size, pair.floor.summary));
    const pairAgainstFloor = compare(pair.server, pair.floor);
    console.log(`  ${pair.server.label} / ${pair.floor.label}: ${pairAgainstFloor.text}`);
    json[`${pair.jsonName}PagesPerSecond`] = pagesJson(pair.server.summary.pagesPerSecond);
    json[`${pair.jsonName}DurableFloorPagesPerSecond`] = pagesJson(
      pair.floor.summary.pagesPerSecond,
    );
    json[`${pair.jsonName}DurableFloorRatio`] = ratioJson(pairAgainstFloor.pages);
    json[`${pair.jsonName}DurableFloorCpuRatio`] = ratioJson(pairAgainstFloor.cpu);
    json[`${pair.jsonName}CpuMicrosPerPage`] = cpuJson(pair.server.summary.cpuMicrosPerPage);
    json[`${pair.jsonName}DurableFloorCpuMicrosPerPage`] = cpuJson(
      pair.floor.summary.cpuMicrosPerPage,
    );
  }
  return json;
}
