// Builds sync pages' body bytes: the same bytes as `JSON.stringify` of the contract's payload. The
// frame is encoded once per sync; each page writes its number and users into a buffer of its own,
// reused for a later page once the body has been delivered.
import { syncPagePayload, type SyncPageSpec } from '../../spec/src/index.ts';
import { BodyBufferPool } from './bodyBufferPool.ts';
import { copySimulatedItems, simulatedItemsBytes } from './simulatedItemsCycle.ts';
import { batchSize, type UserIdBatch } from './userIds.ts';

/** Stand-in ids that cannot occur in a real list: they mark where each list's items go. */
const ADD_MARK = '\u0000add\u0000';
const REMOVE_MARK = '\u0000remove\u0000';
const marked = (mark: string): string => `[${JSON.stringify({ id: mark })}]`;
const COMMA = 0x2c;

export interface SyncPageUsers {
  add: readonly UserIdBatch[];
  remove: readonly UserIdBatch[];
}

/** What every page of one sync shares. */
export type SyncFrame = Omit<SyncPageSpec, 'add' | 'remove' | 'pageNumber'>;

/** The frame's bytes around the parts that change from page to page, in order. */
type Part = Buffer | 'page' | 'add' | 'remove';

const utf8 = (text: string): Buffer => Buffer.from(text, 'utf8');

/**
 * The frame of `spec` cut where the page number and each non-empty list go. Built from
 * `syncPagePayload`, so key order and fields follow the contract; the page number's place is where
 * the frames of page 1 and page 2 differ.
 */
function frameParts(spec: SyncFrame, withAdd: boolean, withRemove: boolean): Part[] {
  const frameOf = (pageNumber: number) =>
    JSON.stringify(
      syncPagePayload({
        ...spec,
        pageNumber,
        add: withAdd ? [ADD_MARK] : [],
        remove: withRemove ? [REMOVE_MARK] : [],
      }),
    );
  const first = frameOf(1);
  const second = frameOf(2);
  let at = 0;
  while (at < first.length && first[at] === second[at]) at++;
  if (first.slice(at + 1) !== second.slice(at + 1) || first[at] !== '1') {
    throw new Error('syncPageBody: the page number is not one JSON number in the payload');
  }
  const cuts: { at: number; length: number; part: Part }[] = [{ at, length: 1, part: 'page' }];
  for (const [wanted, mark, part] of [
    [withAdd, ADD_MARK, 'add'],
    [withRemove, REMOVE_MARK, 'remove'],
  ] as const) {
    if (!wanted) continue;
    const where = first.indexOf(marked(mark));
    if (where < 0) throw new Error('syncPageBody: the payload builder no longer writes {id} items');
    // The list's brackets stay in the frame; only the item between them is replaced.
    cuts.push({ at: where + 1, length: marked(mark).length - 2, part });
  }
  cuts.sort((a, b) => a.at - b.at);
  const parts: Part[] = [];
  let from = 0;
  for (const { at: cut, length, part } of cuts) {
    parts.push(utf8(first.slice(from, cut)), part);
    from = cut + length;
  }
  parts.push(utf8(first.slice(from)));
  return parts;
}

/** A list's batches, each as its byte length and how to write it. */
interface EncodedBatch {
  bytes: number;
  write: (target: Buffer, at: number) => number;
}

function encodedBatch(batch: UserIdBatch): EncodedBatch {
  if ('count' in batch) {
    return {
      bytes: simulatedItemsBytes(batch.from, batch.count),
      write: (target, at) => copySimulatedItems(target, at, batch.from, batch.count),
    };
  }
  // Listed ids (from files) may need escaping: JSON.stringify writes them.
  const items = utf8(JSON.stringify(batch.map((id) => ({ id }))).slice(1, -1));
  return { bytes: items.length, write: (target, at) => at + items.copy(target, at) };
}

export interface SyncPageBodies {
  /** Page `pageNumber` with `users`, in a buffer of its exact size that no other page shares. */
  build(pageNumber: number, users: SyncPageUsers): Buffer;
  /** Lets a later page overwrite `body`: only once nothing will read it again. */
  reuse(body: Buffer): void;
}

/** Page buffers shared by every sync of the process: a later sync reuses an earlier one's. */
const processBuffers = new BodyBufferPool();

/** The pages of one sync: the frame is encoded once, then each page writes its own parts. */
export function syncPageBodies(
  spec: SyncFrame,
  buffers: BodyBufferPool = processBuffers,
): SyncPageBodies {
  const frames = new Map<string, Part[]>();
  const build = (pageNumber: number, users: SyncPageUsers): Buffer => {
    const add = users.add.filter((batch) => batchSize(batch) > 0).map(encodedBatch);
    const remove = users.remove.filter((batch) => batchSize(batch) > 0).map(encodedBatch);
    const key = `${add.length > 0}${remove.length > 0}`;
    let parts = frames.get(key);
    if (!parts) {
      parts = frameParts(spec, add.length > 0, remove.length > 0);
      frames.set(key, parts);
    }
    const page = String(pageNumber);
    const listBytes = (list: EncodedBatch[]) =>
      list.reduce((sum, batch) => sum + batch.bytes, Math.max(0, list.length - 1));
    let size = 0;
    for (const part of parts) {
      if (part === 'page') size += page.length;
      else if (part === 'add') size += listBytes(add);
      else if (part === 'remove') size += listBytes(remove);
      else size += part.length;
    }
    const body = buffers.take(size);
    let at = 0;
    for (const part of parts) {
      if (part === 'page') {
        at += body.write(page, at, 'latin1');
      } else if (part === 'add' || part === 'remove') {
        const list = part === 'add' ? add : remove;
        for (let index = 0; index < list.length; index++) {
          if (index > 0) body[at++] = COMMA;
          at = list[index]!.write(body, at);
        }
      } else {
        at += part.copy(body, at);
      }
    }
    if (at !== size) throw new Error(`syncPageBody: wrote ${at} bytes for a ${size}-byte page`);
    return body;
  };
  return { build, reuse: (body) => buffers.give(body) };
}

/** The body of one sync page (a sync of many pages builds them with `syncPageBodies`). */
export function syncPageBody(
  spec: Omit<SyncPageSpec, 'add' | 'remove'>,
  users: SyncPageUsers,
): Buffer {
  return syncPageBodies(spec).build(spec.pageNumber, users);
}
