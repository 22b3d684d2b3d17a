// Adds up delivery reports, as they settle, into what was delivered, retried, given up and not sent.
import type { DeliveryReport } from './deliverWithRetries.ts';

export interface DeliverySummary {
  /** Deliveries planned (every page of the sync). */
  deliveries: number;
  delivered: number;
  /** Deliveries that needed more than one attempt. */
  retried: number;
  /** Deliveries sent and not acknowledged: attempts exhausted, or stopped by an interruption. */
  givenUp: number;
  /** True when the run was interrupted (Ctrl-C) before every delivery settled. */
  interrupted: boolean;
  /** Deliveries still awaiting an answer when the run stopped: their outcome is unknown. */
  inFlight: number;
  /** Deliveries never sent because the run stopped first. */
  notSent: number;
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

/** Counts reports one by one, keeping only the failures: memory does not grow with the run. */
export class DeliveryTally {
  readonly #attemptStatuses: Record<string, number> = {};
  readonly #finalStatuses: Record<string, number> = {};
  readonly #failures: DeliveryReport[] = [];
  #settled = 0;
  #delivered = 0;
  #retried = 0;
  #attempts = 0;

  get settled(): number {
    return this.#settled;
  }

  record(report: DeliveryReport): void {
    this.#settled++;
    this.#attempts += report.attempts.length;
    for (const status of report.attempts) {
      this.#attemptStatuses[status] = (this.#attemptStatuses[status] ?? 0) + 1;
    }
    const last = report.attempts.at(-1) ?? 'none';
    this.#finalStatuses[last] = (this.#finalStatuses[last] ?? 0) + 1;
    if (report.attempts.length > 1) this.#retried++;
    if (report.delivered) this.#delivered++;
    else this.#failures.push(report);
  }

  summary(run: {
    deliveries: number;
    inFlight: number;
    interrupted: boolean;
    durationMs: number;
  }): DeliverySummary {
    const { deliveries, inFlight, durationMs } = run;
    return {
      deliveries,
      delivered: this.#delivered,
      retried: this.#retried,
      givenUp: this.#failures.length,
      interrupted: run.interrupted,
      inFlight,
      notSent: deliveries - this.#settled - inFlight,
      attempts: this.#attempts,
      attemptStatuses: { ...this.#attemptStatuses },
      finalStatuses: { ...this.#finalStatuses },
      durationMs: Math.round(durationMs),
      deliveriesPerSecond:
        durationMs > 0 ? Math.round((this.#settled / durationMs) * 1000 * 10) / 10 : 0,
      failures: [...this.#failures],
    };
  }
}

const counts = (record: Record<string, number>): string =>
  Object.entries(record)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([status, count]) => `${status}: ${count}`)
    .join(', ') || 'none';

export function formatSummary(summary: DeliverySummary): string {
  const lines = [
    `${summary.interrupted ? 'Interrupted: ' : ''}` +
      `${summary.delivered}/${summary.deliveries} delivered, ${summary.retried} retried, ${summary.givenUp} given up` +
      (summary.interrupted
        ? `, ${summary.inFlight} in flight (outcome unknown), ${summary.notSent} not sent`
        : '') +
      ` (${summary.attempts} attempts in ${(summary.durationMs / 1000).toFixed(1)} s, ${summary.deliveriesPerSecond}/s)`,
    `  answers to every attempt: ${counts(summary.attemptStatuses)}`,
    `  final answers:            ${counts(summary.finalStatuses)}`,
  ];
  for (const failure of summary.failures) {
    lines.push(
      `  gave up on ${failure.label} after ${failure.attempts.join(' → ') || 'no answer'}` +
        (failure.lastResponse ? `: ${failure.lastResponse}` : ''),
    );
  }
  return lines.join('\n');
}
