// What to fix, in one line, when the final answers say the sender reached no webhook route: nothing
// listening, or a server with no POST route at that URL (404, 405, 501).
import { webhookPaths } from '../../server/src/index.ts';
import type { DeliverySummary } from './deliverySummary.ts';

const ROUTE_STATUSES = ['404', '405', '501'];

export function answerHints(summary: DeliverySummary, url: string): string[] {
  const hints: string[] = [];
  if ((summary.finalStatuses.connection_refused ?? 0) > 0) {
    hints.push(`  nothing is listening at ${url}: is the server running (npm run server)?`);
  }
  const routeStatus = ROUTE_STATUSES.find((status) => (summary.finalStatuses[status] ?? 0) > 0);
  if (routeStatus) {
    hints.push(
      `  no route answers POST at ${url} (${routeStatus}): check --url ` +
        `(the reference server takes ${Object.keys(webhookPaths)
          .join(', ')
          .replace(/, ([^,]*)$/, ' and $1')})`,
    );
  }
  return hints;
}
