// `npm run bench -- ingest`: signed sync pages, small and large, into the reference server with
// metrics on (ADMIN_TOKEN set: the figure reported) and off, against the durable floor (the
// simplest correct receiver doing the same durable work) and bare Koa (the cost of durability),
// in alternating rounds of one run, each receiver a child process whose CPU time is read per
// round. Then every receiver that stores is checked: every page answered 200, every member of
// every measured round stored. The store (SQLite or PostgreSQL) decides the receivers.
import { writeFile } from 'node:fs/promises';
import { alternatingRounds, type PageSize, type Round } from './ingestRounds.ts';
import type { Receiver } from './ingestSetup.ts';
import { reportSize, summarise } from './ingestReport.ts';
import type { IngestOptions } from './ingestOptions.ts';
import { postgresIngestSetup } from './postgresIngestSetup.ts';
import { sqliteIngestSetup } from './sqliteIngestSetup.ts';

/** Measured rounds: an odd number, so the median is one round's figure. */
const ROUNDS = 5;

interface Measured {
  size: PageSize;
  receiver: Receiver;
  rounds: Round[];
}

/** Every page of every round answered 200, and every member stored; prints one line per failure. */
async function storeChecks(measured: Measured[]): Promise<boolean> {
  let ok = true;
  for (const { size, receiver, rounds } of measured) {
    const expected = size.pages * size.usersPerPage;
    const unanswered = rounds.filter((round) => round.acknowledged !== size.pages);
    for (const round of unanswered) {
      console.log(
        `  ${size.name} pages, ${receiver.label}: answers ${JSON.stringify(round.statuses)}, ` +
          `${size.pages} pages sent: MISMATCH`,
      );
    }
    ok &&= unanswered.length === 0;
    if (!receiver.membersStored) continue;
    const stored = await receiver.membersStored(rounds.map((round) => round.segmentId));
    for (const count of stored.filter((each) => each !== expected)) {
      console.log(
        `  ${size.name} pages, ${receiver.label}: ${count} members stored, ${expected} expected: MISMATCH`,
      );
      ok = false;
    }
  }
  return ok;
}

/** Runs the benchmark, prints figures, writes --json; false when a store check failed. */
export async function runIngestBenchmark(options: IngestOptions): Promise<boolean> {
  const rounds = options.quick ? 1 : ROUNDS;
  const setup =
    options.store === 'postgres'
      ? await postgresIngestSetup(options.adminUrl, options.quick)
      : await sqliteIngestSetup(options.quick);
  let segment = 1;
  const nextSegment = () => segment++;
  const json: Record<string, Record<string, number | string | null>> = {};
  const measured: Measured[] = [];
  let ok = false;
  try {
    try {
      console.log(
        `${setup.title}: signed sync pages over keep-alive HTTP on loopback, ` +
          `median of ${rounds} alternating round${rounds > 1 ? 's' : ''}, CPU per page acknowledged`,
      );
      for (const size of setup.sizes) {
        console.log(
          `${size.name} pages: ${size.usersPerPage.toLocaleString('en')} users, ` +
            `${size.pages} pages a round, ${size.inFlight} in flight`,
        );
        const receivers = setup.receivers(size);
        const all = [
          receivers.server,
          receivers.metricsOff,
          ...receivers.floors,
          receivers.bareKoa,
          ...receivers.pairs.flatMap((pair) => [pair.server, pair.floor]),
        ];
        const results = await alternatingRounds(
          all.map((receiver) => receiver.target),
          size,
          rounds,
          nextSegment,
        );
        const summaries = new Map(
          all.map((receiver, index) => [receiver, summarise(results[index]!)]),
        );
        const figure = <R extends Receiver>(receiver: R) => ({
          ...receiver,
          summary: summaries.get(receiver)!,
        });
        json[size.name] = reportSize(size, rounds, {
          server: figure(receivers.server),
          metricsOff: figure(receivers.metricsOff),
          floors: receivers.floors.map(figure),
          bareKoa: figure(receivers.bareKoa),
          pairs: receivers.pairs.map((pair) => ({
            jsonName: pair.jsonName,
            server: figure(pair.server),
            floor: figure(pair.floor),
          })),
        });
        all.forEach((receiver, index) =>
          measured.push({ size, receiver, rounds: results[index]! }),
        );
      }
    } finally {
      await setup.stop();
    }
    ok = await storeChecks(measured);
    console.log(
      `store check (every page answered 200, every member of every measured round stored): ${ok ? 'ok' : 'MISMATCH'}`,
    );
  } finally {
    await setup.cleanup();
  }
  if (options.jsonFile !== null) {
    await writeFile(options.jsonFile, `${JSON.stringify(json, null, 2)}\n`);
    console.log(`figures written to ${options.jsonFile}`);
  }
  return ok;
}
