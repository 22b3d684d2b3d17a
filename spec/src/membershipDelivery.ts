// Reads what changes membership out of a webhook body: the input of the membership model.
import type { MembershipDelivery } from './membershipModel.ts';
import { DRAIN_ACTION, SYNC_ACTION, type HeapWebhook } from './webhookTypes.ts';

/**
 * The membership change a body carries, or null when it carries none (not JSON, another action,
 * no segment). A delivery without `id_token` belongs to the account named `accountWithoutToken`.
 */
export function membershipDeliveryOf(
  body: Buffer | string,
  accountWithoutToken = '',
): MembershipDelivery | null {
  let payload: HeapWebhook;
  try {
    payload = JSON.parse(typeof body === 'string' ? body : body.toString('utf8')) as HeapWebhook;
  } catch {
    return null;
  }
  if (typeof payload !== 'object' || payload === null) return null;
  const segmentId = payload.data?.segment?.id;
  if (typeof segmentId !== 'number') return null;
  const idToken = typeof payload.id_token === 'string' ? payload.id_token : accountWithoutToken;
  if (payload.action_type === DRAIN_ACTION) return { kind: 'drain', idToken, segmentId };
  if (payload.action_type !== SYNC_ACTION) return null;
  const info = payload.data.sync_info;
  const ids = (users: { id: string }[] | undefined) => (users ?? []).map((user) => user.id);
  return {
    kind: 'sync',
    idToken,
    segmentId,
    syncTaskId: info.sync_task_id,
    pageNumber: info.page_number,
    add: ids(payload.data.add),
    remove: ids(payload.data.remove),
  };
}
