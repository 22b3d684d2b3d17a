// How a store reports the duration of its write transactions (a Prometheus histogram fits as is).
export interface CommitRecorder {
  observe(seconds: number): void;
}

/** Runs `write` and, when it succeeds, records how long it took; nothing at all without a recorder. */
export async function timedCommit<T>(
  recorder: CommitRecorder | undefined,
  write: () => Promise<T>,
): Promise<T> {
  if (recorder === undefined) return write();
  const started = performance.now();
  const value = await write();
  recorder.observe((performance.now() - started) / 1000);
  return value;
}

/** `timedCommit` for a write that runs synchronously (a SQLite transaction). */
export function timedSyncCommit<T>(recorder: CommitRecorder | undefined, write: () => T): T {
  if (recorder === undefined) return write();
  const started = performance.now();
  const value = write();
  recorder.observe((performance.now() - started) / 1000);
  return value;
}
