// Adds up delivery reports into what was delivered, retried and given up, per status.
import type { DeliveryReport } from './deliverWithRetries.ts';

export interface DeliverySummary {
  deliveries: number;
  delivered: number;
  /** Deliveries that needed more than one attempt. */
  retried: number;
  givenUp: number;
  attempts: number;
  /** Every attempt's status (or network error), counted. */
  attemptStatuses: Record<string, number>;
  /** The last attempt's status of each delivery, counted. */
  finalStatuses: Record<string, number>;
  durationMs: number;
  deliveriesPerSecond: number;
  /** The deliveries given up, with their attempts and last answer. */
  failures: DeliveryReport[];
}

export function summarise(reports: readonly DeliveryReport[], durationMs: number): DeliverySummary {
  const attemptStatuses: Record<string, number> = {};
  const finalStatuses: Record<string, number> = {};
  let attempts = 0;
  for (const report of reports) {
    attempts += report.attempts.length;
    for (const status of report.attempts)
      attemptStatuses[status] = (attemptStatuses[status] ?? 0) + 1;
    const last = report.attempts.at(-1) ?? 'none';
    finalStatuses[last] = (finalStatuses[last] ?? 0) + 1;
  }
  const delivered = reports.filter((report) => report.delivered).length;
  return {
    deliveries: reports.length,
    delivered,
    retried: reports.filter((report) => report.attempts.length > 1).length,
    givenUp: reports.length - delivered,
    attempts,
    attemptStatuses,
    finalStatuses,
    durationMs: Math.round(durationMs),
    deliveriesPerSecond:
      durationMs > 0 ? Math.round((reports.length / durationMs) * 1000 * 10) / 10 : 0,
    failures: reports.filter((report) => !report.delivered),
  };
}

const counts = (record: Record<string, number>): string =>
  Object.entries(record)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([status, count]) => `${status}: ${count}`)
    .join(', ') || 'none';

export function formatSummary(summary: DeliverySummary): string {
  const lines = [
    `${summary.delivered}/${summary.deliveries} delivered, ${summary.retried} retried, ${summary.givenUp} given up ` +
      `(${summary.attempts} attempts in ${(summary.durationMs / 1000).toFixed(1)} s, ${summary.deliveriesPerSecond}/s)`,
    `  answers to every attempt: ${counts(summary.attemptStatuses)}`,
    `  final answers:            ${counts(summary.finalStatuses)}`,
  ];
  for (const failure of summary.failures) {
    lines.push(
      `  gave up on ${failure.label} after ${failure.attempts.join(' → ')}` +
        (failure.lastResponse ? `: ${failure.lastResponse}` : ''),
    );
  }
  return lines.join('\n');
}
