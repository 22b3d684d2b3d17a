// The HTTP side of the ingest benchmark's durable floor: the simplest correct receiver of signed
// sync pages, on node:http. Each POST is read whole, its Heap-Hash checked over the raw bytes with
// the contract's verifyHeapHash, parsed with JSON.parse, and handed to a store that commits it
// before the answer: 200 once durable, 403 for a bad signature, 400 for a body that is not a sync
// page (only the fields stored are checked), 413 past 64 MB, 500 when the store failed.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SYNC_ACTION, verifyHeapHash, type SegmentUsersSync } from '../../spec/src/index.ts';

const BODY_LIMIT_BYTES = 64 * 1024 * 1024;

/** What the floor stores of a sync page. */
export interface FloorPage {
  idToken: string;
  segmentId: number;
  syncTaskId: string;
  pageNumber: number;
  add: string[];
  remove: string[];
}

export interface FloorStore {
  /** Commits the page and its members (a page stored before changes nothing); resolves once durable. */
  storePage(page: FloorPage): void | Promise<void>;
  /** The pages stored and the users that are members, of one segment of one account. */
  stored(idToken: string, segmentId: number): Promise<{ pages: number; members: number }>;
  close(): Promise<void>;
}

/** The ids of a user list, or null when it is not a list of users with string ids. */
function userIds(users: unknown): string[] | null {
  if (users === undefined) return [];
  if (!Array.isArray(users)) return null;
  const ids = new Array<string>(users.length);
  for (let index = 0; index < users.length; index++) {
    const id = (users[index] as { id?: unknown } | null)?.id;
    if (typeof id !== 'string' || id === '') return null;
    ids[index] = id;
  }
  return ids;
}

/** The page to store, or null when the body lacks a field the floor stores. */
export function floorPage(body: unknown): FloorPage | null {
  const sync = body as Partial<SegmentUsersSync> | null;
  const data = sync?.data;
  const segmentId = data?.segment?.id;
  const info = data?.sync_info;
  if (
    sync?.action_type !== SYNC_ACTION ||
    typeof sync.id_token !== 'string' ||
    !Number.isSafeInteger(segmentId) ||
    typeof info?.sync_task_id !== 'string' ||
    !Number.isSafeInteger(info.page_number)
  ) {
    return null;
  }
  const add = userIds(data!.add);
  const remove = userIds(data!.remove);
  if (add === null || remove === null) return null;
  return {
    idToken: sync.id_token,
    segmentId: segmentId!,
    syncTaskId: info.sync_task_id,
    pageNumber: info.page_number,
    add,
    remove,
  };
}

function answer(response: http.ServerResponse, status: number, body: object): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
  });
  response.end(text);
}

async function receive(
  store: FloorStore,
  secrets: readonly string[],
  request: http.IncomingMessage,
  rawBody: Buffer,
  response: http.ServerResponse,
): Promise<void> {
  const header = request.headers['heap-hash'];
  const verified = verifyHeapHash({
    rawBody,
    header: typeof header === 'string' ? header : undefined,
    secrets,
    now: Date.now(),
  });
  if (!verified.ok) return answer(response, 403, { error: verified.code });
  let page: FloorPage | null;
  try {
    page = floorPage(JSON.parse(rawBody.toString('utf8')));
  } catch {
    page = null;
  }
  if (page === null) return answer(response, 400, { error: 'not_a_sync_page' });
  try {
    await store.storePage(page);
  } catch {
    return answer(response, 500, { error: 'store_failed' });
  }
  answer(response, 200, { ok: true });
}

/** Serves `store` on a free loopback port; resolves with its URL and a way to stop it. */
export function serveFloor(
  store: FloorStore,
  secrets: readonly string[],
): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((request, response) => {
    if (request.method !== 'POST') {
      request.resume();
      return answer(response, 404, { error: 'not_found' });
    }
    const chunks: Buffer[] = [];
    let length = 0;
    request.on('data', (chunk: Buffer) => {
      length += chunk.length;
      if (length <= BODY_LIMIT_BYTES) chunks.push(chunk);
    });
    request.on('end', () => {
      if (length > BODY_LIMIT_BYTES) return answer(response, 413, { error: 'body_too_large' });
      void receive(store, secrets, request, Buffer.concat(chunks, length), response);
    });
  });
  server.keepAliveTimeout = 65_000;
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}`,
        close: () =>
          new Promise<void>((closed) => {
            server.close(() => closed());
            server.closeAllConnections();
          }),
      });
    });
  });
}
