// Turns the send options into the pages to deliver: how many there are, known before the first is
// built, and the pages themselves, built one at a time as they are sent.
import { randomUUID } from 'node:crypto';
import { access, readFile } from 'node:fs/promises';
import { bodyBytes, drainPayload } from '../../spec/src/index.ts';
import type { PlannedBody } from './deliverAll.ts';
import type { SendOptions } from './sendOptions.ts';
import { pageCount, syncPages, type SyncPlan } from './syncPages.ts';
import { countUserIds, readUserIdBatches, simulatedUsers, type UserIdBatch } from './userIds.ts';

/** Heap's sample sync (the reference app's data): two users leave, two enter. */
const SAMPLE_SYNC = {
  name: 'Free Customers',
  remove: ['user1@email.com', 'user2@email.com'],
  add: ['user3@email.com', 'user4@email.com'],
};

/** What "Send sample segment" sends: one page of dummy users. */
const SAMPLE_SEGMENT = {
  name: 'Sample Segment',
  add: Array.from({ length: 5 }, (_, index) => `sample.user.${index + 1}@example.com`),
  remove: [] as string[],
};

/** The pages of a run: `total` is known up front (for total_pages and progress). */
export interface PlannedPages {
  total: number;
  pages: AsyncIterable<PlannedBody>;
}

const cannotRead = (what: string, file: string, error: unknown): Error =>
  new Error(
    `cannot read ${what} ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
  );

async function readInput(file: string, what: string): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch (error) {
    throw cannotRead(what, file, error);
  }
}

/** Counts a file's ids in one streaming pass; a file that cannot be read is a usage error. */
async function countInput(file: string): Promise<number> {
  try {
    await access(file);
    return await countUserIds(file);
  } catch (error) {
    throw cannotRead('file', file, error);
  }
}

async function* concat(...sources: (Iterable<UserIdBatch> | AsyncIterable<UserIdBatch>)[]) {
  for (const source of sources) yield* source;
}

async function* only(page: PlannedBody): AsyncGenerator<PlannedBody> {
  yield page;
}

/** Throws (with one line to print) when an input file cannot be read: a usage error. */
export async function plannedPages(options: SendOptions): Promise<PlannedPages> {
  if (options.bodyFile) {
    const body = await readInput(options.bodyFile, '--body');
    return { total: 1, pages: only({ label: options.bodyFile, body }) };
  }
  if (options.command === 'drain') {
    const segment = { id: options.segment.id, name: options.segment.name ?? 'Segment To Drain' };
    const body = bodyBytes(drainPayload({ idToken: options.idToken, segment }));
    return { total: 1, pages: only({ label: 'drain', body }) };
  }
  let lists: Pick<SyncPlan, 'add' | 'remove' | 'addCount' | 'removeCount'>;
  let name: string;
  if (options.command === 'sample') {
    lists = listsOf(SAMPLE_SEGMENT);
    name = SAMPLE_SEGMENT.name;
  } else if (options.users !== null || options.addFile || options.removeFile) {
    const simulated = options.users ?? 0;
    const [addFileCount, removeCount] = await Promise.all([
      options.addFile ? countInput(options.addFile) : 0,
      options.removeFile ? countInput(options.removeFile) : 0,
    ]);
    lists = {
      addCount: simulated + addFileCount,
      removeCount,
      add: concat(
        simulatedUsers(simulated),
        options.addFile ? readUserIdBatches(options.addFile) : [],
      ),
      remove: options.removeFile ? readUserIdBatches(options.removeFile) : [],
    };
    name = 'Simulated Segment';
  } else {
    lists = listsOf(SAMPLE_SYNC);
    name = SAMPLE_SYNC.name;
  }
  const plan: SyncPlan = {
    idToken: options.idToken,
    segment: { id: options.segment.id, name: options.segment.name ?? name },
    syncTaskId: options.syncTaskId ?? randomUUID(),
    pageSize: options.pageSize,
    ...lists,
  };
  return { total: pageCount(plan), pages: syncPages(plan) };
}

function listsOf(fixed: { add: string[]; remove: string[] }) {
  return {
    addCount: fixed.add.length,
    removeCount: fixed.remove.length,
    add: [fixed.add],
    remove: [fixed.remove],
  };
}
