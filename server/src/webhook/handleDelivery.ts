// The receiver's data path after verification: parse -> validate -> apply in one transaction -> answer.
import {
  classifyDelivery,
  DRAIN_ACTION,
  SYNC_ACTION,
  type SegmentUsersSync,
} from '../../../spec/src/index.ts';
import type { ConnectionStore } from '../store/connectionStore.ts';
import type { AccountPageWriter, SegmentStore, SyncPageInput } from '../store/segmentStore.ts';
import { parseJsonBody } from './parseJsonBody.ts';
import { accountOf, UNASSIGNED_ACCOUNT } from './unassignedAccount.ts';

/** Which deliveries a route takes: Heap's reference routes take one action each. */
export type WebhookRoute = 'sync' | 'drain' | 'any';

/**
 * A delivery's action as one of a fixed set of words, for metrics: `other` is an action type this
 * contract does not know (its text is never used), `unknown` a delivery refused before its action
 * was known (not verified, not JSON, not a valid payload).
 */
export type DeliveryAction = 'sync' | 'drain' | 'other' | 'unknown';

export interface DeliveryAnswer {
  status: number;
  body: Record<string, unknown>;
  /** A short word for logs and metrics. */
  outcome: string;
}

export interface HandleDeliveryOptions {
  store: SegmentStore;
  unknownActions: 'accept' | 'reject';
  receivedAt: Date;
  /**
   * Connected accounts. A delivery for an id_token nobody connected is applied and answered with
   * `"connected": false` (`accept`: Heap's "Send sample segment" uses dummy accounts) or refused with
   * 403 `unknown_account` (`reject`). A delivery without an id_token is applied to the unassigned
   * account and answered `"account": "unassigned"` either way.
   */
  accounts?: {
    connections: ConnectionStore;
    unknown: 'accept' | 'reject';
    /** Where the store can, a sync page's account is looked up in the page's own write. */
    writePage?: AccountPageWriter;
  };
  /** Told the delivery's action once it is known, before anything is applied. */
  onAction?: (action: DeliveryAction) => void;
}

const routeFor = { [SYNC_ACTION]: '/users_sync', [DRAIN_ACTION]: '/users_drain' } as const;

const refuse = (status: number, error: string, outcome: string): DeliveryAnswer => ({
  status,
  body: { error },
  outcome,
});

export async function handleDelivery(
  rawBody: Uint8Array,
  route: WebhookRoute,
  options: HandleDeliveryOptions,
): Promise<DeliveryAnswer> {
  const parsed = parseJsonBody(rawBody);
  if (!parsed.ok) return refuse(400, parsed.message, 'invalid_json');
  const delivery = classifyDelivery(parsed.value);
  if (delivery.kind === 'invalid')
    return refuse(400, delivery.errors.join('; '), 'invalid_payload');
  options.onAction?.(delivery.kind === 'unknown_action' ? 'other' : delivery.kind);

  if (delivery.kind === 'unknown_action') {
    if (options.unknownActions === 'reject') {
      return refuse(400, `action_type: unknown action "${delivery.actionType}"`, 'unknown_action');
    }
    await options.store.recordIgnoredDelivery({
      idToken: delivery.idToken,
      actionType: delivery.actionType,
      receivedAt: options.receivedAt,
    });
    return {
      status: 200,
      body: { result: 'ignored', action_type: delivery.actionType },
      outcome: 'ignored',
    };
  }
  if (route !== 'any' && route !== delivery.kind) {
    const action = delivery.payload.action_type;
    return refuse(405, `${action} deliveries go to ${routeFor[action]}`, 'wrong_route');
  }

  const { idToken, assigned } = accountOf(delivery.payload.id_token);
  // Without an id_token there is no account to check: refusing would make Heap retry forever.
  const accounts = assigned ? options.accounts : undefined;
  // A nameless segment is applied all the same; the store records its name as empty.
  const segment = {
    id: delivery.payload.data.segment.id,
    name: delivery.payload.data.segment.name ?? '',
  };
  const page =
    delivery.kind === 'sync'
      ? syncPage(idToken, segment, delivery.payload.data, options.receivedAt)
      : null;
  const written =
    page === null
      ? await lookedUpThenWritten(accounts, idToken, () =>
          options.store.drainSegment({ idToken, segment, receivedAt: options.receivedAt }),
        )
      : accounts?.writePage
        ? await accounts.writePage(page, accounts.unknown)
        : await lookedUpThenWritten(accounts, idToken, () => options.store.applySyncPage(page));
  if (written.outcome === null) return refuse(403, 'unknown_account', 'unknown_account');
  const accountNote = !assigned
    ? { account: UNASSIGNED_ACCOUNT, connected: false }
    : written.connected === false
      ? { connected: false }
      : {};
  return {
    status: 200,
    body: { ...written.outcome, ...accountNote },
    outcome: written.outcome.result,
  };
}

/**
 * The account looked up, then `write` run unless the account is unknown and such accounts are
 * refused (outcome null: nothing written). Without accounts to check, `connected` is undefined.
 */
async function lookedUpThenWritten<T>(
  accounts: HandleDeliveryOptions['accounts'],
  idToken: string,
  write: () => Promise<T>,
): Promise<{ connected: boolean | undefined; outcome: T | null }> {
  const connected = accounts ? await accounts.connections.isConnected(idToken) : undefined;
  if (accounts?.unknown === 'reject' && connected === false) return { connected, outcome: null };
  return { connected, outcome: await write() };
}

function syncPage(
  idToken: string,
  segment: SyncPageInput['segment'],
  data: SegmentUsersSync['data'],
  receivedAt: Date,
): SyncPageInput {
  return {
    idToken,
    segment,
    syncTaskId: data.sync_info.sync_task_id,
    pageNumber: data.sync_info.page_number,
    totalPages: data.sync_info.total_pages,
    add: (data.add ?? []).map((user) => user.id),
    remove: (data.remove ?? []).map((user) => user.id),
    receivedAt,
  };
}
