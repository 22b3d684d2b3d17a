// What the Developer Hub's buttons send: "Send sample segment", "Sync now" and "Drain", built and
// delivered by the project's sender (signed afresh per attempt, Heap's retries), each page logged.
import { deliverAll } from '../../send/deliverAll.ts';
import { plannedPages } from '../../send/plannedPages.ts';
import { deliveryOptions, parseSendArgs, SAMPLE_ID_TOKEN } from '../../send/sendOptions.ts';
import type { DeliveryLog, DeliveryLogEntry } from './deliveryLog.ts';
import type { HubState, TestSegment } from './hubState.ts';

export interface HubDeliveryOptions {
  secret: string;
  /** Extra sender flags (e.g. shorter retry waits in tests); Heap's defaults otherwise. */
  senderFlags?: string[];
}

/** Where a drain goes: the registered URL, or the reference app's drain route beside /users_sync. */
export function drainUrl(webhookUrl: string): string {
  const url = new URL(webhookUrl);
  if (url.pathname.endsWith('/users_sync'))
    url.pathname = url.pathname.replace(/\/users_sync$/, '/users_drain');
  return url.toString();
}

export class HubDeliveries {
  readonly #state: HubState;
  readonly #log: DeliveryLog;
  readonly #options: HubDeliveryOptions;

  constructor(state: HubState, log: DeliveryLog, options: HubDeliveryOptions) {
    this.#state = state;
    this.#log = log;
    this.#options = options;
  }

  /** One page of dummy users for the account connected last, like Heap's button. */
  sample(): Promise<void> {
    return this.#run('sample', 'Sample Segment', ['sample'], this.#state.latestAccount()?.idToken);
  }

  /** A full sync of the segment's members, in pages sharing one sync_task_id. */
  sync(segment: TestSegment): Promise<void> {
    return this.#run(
      'sync',
      segment.name,
      [
        'sync',
        `--users=${segment.users}`,
        `--page-size=${segment.pageSize}`,
        `--segment-id=${segment.id}`,
        `--segment-name=${segment.name}`,
      ],
      segment.idToken ?? undefined,
    );
  }

  drain(segment: TestSegment): Promise<void> {
    return this.#run(
      'drain',
      segment.name,
      ['drain', `--segment-id=${segment.id}`, `--segment-name=${segment.name}`],
      segment.idToken ?? undefined,
    );
  }

  async #run(
    action: DeliveryLogEntry['action'],
    segmentName: string,
    args: string[],
    idToken: string | undefined,
  ): Promise<void> {
    const { webhookUrl } = this.#state.data.settings;
    const url = action === 'drain' ? drainUrl(webhookUrl) : webhookUrl;
    const parsed = parseSendArgs(
      [
        ...args,
        `--url=${url}`,
        `--secret=${this.#options.secret}`,
        `--id-token=${idToken ?? SAMPLE_ID_TOKEN}`,
        ...(this.#options.senderFlags ?? []),
      ],
      {},
    );
    const segmentLabel =
      parsed.kind === 'run' ? `${segmentName} (${parsed.options.segment.id})` : segmentName;
    if (parsed.kind !== 'run') {
      const reason = parsed.kind === 'error' ? parsed.message : 'no delivery';
      this.#log.add({
        time: new Date().toISOString(),
        action,
        segment: segmentLabel,
        page: '-',
        status: 'not sent',
        delivered: false,
        attempts: 0,
        latencyMs: 0,
        excerpt: reason,
      });
      return;
    }
    const planned = await plannedPages(parsed.options);
    await deliverAll(planned.pages, planned.total, {
      ...deliveryOptions(parsed.options),
      onSettled: (report) => {
        this.#log.add({
          time: new Date().toISOString(),
          action,
          segment: segmentLabel,
          page: report.label,
          status: report.attempts.at(-1) ?? 'none',
          delivered: report.delivered,
          attempts: report.attempts.length,
          latencyMs: report.lastAttemptMs,
          excerpt: report.responseExcerpt,
        });
      },
    });
  }
}
