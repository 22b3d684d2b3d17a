// What a store's setup gives the ingest benchmark: the receivers it measures for each page size,
// and how to stop them and remove what it created.
import type { IngestTarget, PageSize } from './ingestRounds.ts';

/** A receiver measured in the rounds. */
export interface Receiver {
  label: string;
  target: IngestTarget;
  /**
   * The members stored for each of these segments, read once every receiver stopped; absent for
   * a receiver that stores nothing.
   */
  membersStored?: (segmentIds: readonly number[]) => Promise<number[]>;
}

/** The receivers of one page size, in the order of each round; as SizeFigures names them. */
export interface SizeReceivers {
  server: Receiver;
  metricsOff: Receiver;
  floors: (Receiver & { jsonName: string })[];
  bareKoa: Receiver;
  pairs: { jsonName: string; server: Receiver; floor: Receiver }[];
}

export interface IngestSetup {
  title: string;
  sizes: readonly PageSize[];
  receivers(size: PageSize): SizeReceivers;
  /** Stops every receiver. */
  stop(): Promise<void>;
  /** Removes what the run created; after the store checks. */
  cleanup(): Promise<void>;
}
