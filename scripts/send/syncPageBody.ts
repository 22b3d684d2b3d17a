// Builds a sync page's body bytes from its users: the same bytes as `JSON.stringify` of the
// contract's payload, with simulated users written straight from their indexes.
import { syncPagePayload, type SyncPageSpec } from '../../spec/src/index.ts';
import { simulatedItemsMaxBytes, writeSimulatedItems } from './simulatedUsersJson.ts';
import { batchSize, type UserIdBatch } from './userIds.ts';

/** Stand-in ids that cannot occur in a real list: they mark where each list's items go. */
const ADD_MARK = '\u0000add\u0000';
const REMOVE_MARK = '\u0000remove\u0000';
const marked = (mark: string): string => `[${JSON.stringify({ id: mark })}]`;

/** Grows as needed and is reused: each body is copied out of it at its exact size. */
let scratch = Buffer.allocUnsafe(1 << 20);

function room(at: number, bytes: number): void {
  if (at + bytes <= scratch.length) return;
  const grown = Buffer.allocUnsafe(Math.max(scratch.length * 2, at + bytes));
  scratch.copy(grown, 0, 0, at);
  scratch = grown;
}

function writeText(at: number, text: string): number {
  room(at, Buffer.byteLength(text, 'utf8'));
  return at + scratch.write(text, at, 'utf8');
}

/** `[` item `,` item ... `]`, each item `{"id":...}` as JSON.stringify writes it. */
function writeList(at: number, batches: readonly UserIdBatch[]): number {
  let end = writeText(at, '[');
  let first = true;
  for (const batch of batches) {
    if (batchSize(batch) === 0) continue;
    if (!first) end = writeText(end, ',');
    first = false;
    if ('count' in batch) {
      room(end, simulatedItemsMaxBytes(batch.count));
      end = writeSimulatedItems(scratch, end, batch.from, batch.count);
    } else {
      end = writeText(end, JSON.stringify(batch.map((id) => ({ id }))).slice(1, -1));
    }
  }
  return writeText(end, ']');
}

export interface SyncPageUsers {
  add: readonly UserIdBatch[];
  remove: readonly UserIdBatch[];
}

/**
 * The body of one sync page. The frame (everything but the users) comes from `syncPagePayload`, so
 * key order and fields follow the contract; only the two lists are written here.
 */
export function syncPageBody(
  spec: Omit<SyncPageSpec, 'add' | 'remove'>,
  users: SyncPageUsers,
): Buffer {
  const hasUsers = (batches: readonly UserIdBatch[]) => batches.some((b) => batchSize(b) > 0);
  const frame = JSON.stringify(
    syncPagePayload({
      ...spec,
      add: hasUsers(users.add) ? [ADD_MARK] : [],
      remove: hasUsers(users.remove) ? [REMOVE_MARK] : [],
    }),
  );
  const lists = [
    { batches: users.add, mark: marked(ADD_MARK) },
    { batches: users.remove, mark: marked(REMOVE_MARK) },
  ]
    .filter(({ batches }) => hasUsers(batches))
    .map((list) => ({ ...list, at: frame.indexOf(list.mark) }))
    .sort((a, b) => a.at - b.at);
  let end = 0;
  let from = 0;
  for (const { batches, mark, at } of lists) {
    if (at < 0) throw new Error('syncPageBody: the payload builder no longer writes {id} items');
    end = writeText(end, frame.slice(from, at));
    end = writeList(end, batches);
    from = at + mark.length;
  }
  end = writeText(end, frame.slice(from));
  return Buffer.from(scratch.subarray(0, end));
}
