// Turns the send options into the bodies to deliver, each with a label for progress and summaries.
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { bodyBytes, drainPayload } from '../../spec/src/index.ts';
import type { PlannedBody } from './deliverAll.ts';
import type { SendOptions } from './sendOptions.ts';
import { pageCount, planPage, type SyncPlan } from './syncPlan.ts';
import { readUserIdFile, simulatedUserIds } from './userIds.ts';

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

async function readInput(file: string, what: string): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch (error) {
    throw new Error(
      `cannot read ${what} ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
}

export async function plannedBodies(options: SendOptions): Promise<PlannedBody[]> {
  if (options.bodyFile) {
    return [{ label: options.bodyFile, body: await readInput(options.bodyFile, '--body') }];
  }
  if (options.command === 'drain') {
    const segment = { id: options.segment.id, name: options.segment.name ?? 'Segment To Drain' };
    return [
      { label: 'drain', body: bodyBytes(drainPayload({ idToken: options.idToken, segment })) },
    ];
  }
  let add: readonly string[];
  let remove: readonly string[];
  let name: string;
  if (options.command === 'sample') {
    ({ add, remove, name } = SAMPLE_SEGMENT);
  } else if (options.users !== null || options.addFile || options.removeFile) {
    await Promise.all(
      [options.addFile, options.removeFile].map((file) => file && readInput(file, 'file')),
    );
    add = [
      ...(options.users !== null ? simulatedUserIds(options.users) : []),
      ...(options.addFile ? await readUserIdFile(options.addFile) : []),
    ];
    remove = options.removeFile ? await readUserIdFile(options.removeFile) : [];
    name = 'Simulated Segment';
  } else {
    ({ add, remove, name } = SAMPLE_SYNC);
  }
  const plan: SyncPlan = {
    idToken: options.idToken,
    segment: { id: options.segment.id, name: options.segment.name ?? name },
    syncTaskId: options.syncTaskId ?? randomUUID(),
    add,
    remove,
    pageSize: options.pageSize,
  };
  const total = pageCount(plan);
  return Array.from({ length: total }, (_, index) => ({
    label: `page ${index + 1}/${total}`,
    body: bodyBytes(planPage(plan, index + 1)),
  }));
}
