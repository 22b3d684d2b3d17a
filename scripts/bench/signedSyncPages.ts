// The signed sync pages the ingest benchmarks send: one segment's sync, `usersPerPage` distinct
// users a page, signed with the benchmarks' secret for the benchmarks' account.
import {
  bodyBytes,
  signedDelivery,
  syncPagePayload,
  type OutgoingDelivery,
} from '../../spec/src/index.ts';
import { BENCH_ID_TOKEN, BENCH_SECRET } from './benchServer.ts';

export function signedSyncPages(options: {
  url: string;
  segmentId: number;
  /** Zero-based page indexes to build (a subset, when pages are split between instances). */
  pageIndexes: readonly number[];
  totalPages: number;
  usersPerPage: number;
}): OutgoingDelivery[] {
  const timestamp = Date.now();
  return options.pageIndexes.map((page) =>
    signedDelivery({
      url: options.url,
      secret: BENCH_SECRET,
      timestamp,
      body: bodyBytes(
        syncPagePayload({
          idToken: BENCH_ID_TOKEN,
          segment: { id: options.segmentId, name: `Bench ${options.segmentId}` },
          syncTaskId: `bench-${options.segmentId}`,
          pageNumber: page + 1,
          totalPages: options.totalPages,
          add: Array.from(
            { length: options.usersPerPage },
            (_, user) => `user-${page}-${user}@example.com`,
          ),
        }),
      ),
    }),
  );
}
