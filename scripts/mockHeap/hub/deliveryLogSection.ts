// The Developer Hub's delivery log table; the page's script keeps it current by polling.
import type { DeliveryLogEntry } from './deliveryLog.ts';
import { escapeHtml } from '../../../support/src/escapeHtml.ts';

/** The columns, in order: the page's script builds new rows with the same fields. */
export const LOG_COLUMNS = [
  ['time', 'Time'],
  ['action', 'Action'],
  ['segment', 'Segment'],
  ['page', 'Page'],
  ['status', 'HTTP status'],
  ['result', 'Result'],
  ['attempts', 'Attempts'],
  ['latencyMs', 'Latency (ms)'],
  ['excerpt', 'Response'],
] as const satisfies readonly (readonly [keyof DeliveryLogEntry, string])[];

export function deliveryLogRow(entry: DeliveryLogEntry): string {
  return `<tr data-seq="${entry.seq}">${LOG_COLUMNS.map(([field]) => `<td>${escapeHtml(entry[field])}</td>`).join('')}</tr>`;
}

export function deliveryLogSection(entries: readonly DeliveryLogEntry[]): string {
  return `<section aria-labelledby="log-title">
  <h2 id="log-title">Delivery log</h2>
  <table aria-labelledby="log-title">
    <thead><tr>${LOG_COLUMNS.map(([, title]) => `<th scope="col">${title}</th>`).join('')}</tr></thead>
    <tbody id="delivery-log" aria-live="polite">${entries.map(deliveryLogRow).join('\n')}</tbody>
  </table>
</section>`;
}
