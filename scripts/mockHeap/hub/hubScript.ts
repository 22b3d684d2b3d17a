// The Developer Hub's only script: polls the delivery log and adds new rows as text (never HTML).
import { LOG_COLUMNS } from './deliveryLogSection.ts';

/** JSON safe inside a <script> element. */
const scriptJson = (value: unknown): string => JSON.stringify(value).replace(/</g, '\\u003c');

export function hubScript(): string {
  const fields = scriptJson(LOG_COLUMNS.map(([field]) => field));
  return `(() => {
  const fields = ${fields};
  const body = document.getElementById('delivery-log');
  const latest = () => Number(body.querySelector('tr')?.dataset.seq ?? 0);
  async function poll() {
    try {
      const response = await fetch('/hub/api/deliveries?after=' + latest(), { cache: 'no-store' });
      if (response.ok) {
        const { entries } = await response.json();
        for (const entry of entries.slice().reverse()) {
          const row = document.createElement('tr');
          row.dataset.seq = String(entry.seq);
          for (const field of fields) {
            const cell = document.createElement('td');
            cell.textContent = String(entry[field]);
            row.appendChild(cell);
          }
          body.prepend(row);
        }
      }
    } catch {
      // The mock may be restarting; the next poll tries again.
    }
    setTimeout(poll, 1000);
  }
  setTimeout(poll, 1000);
})();`;
}
