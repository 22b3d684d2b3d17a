// Checkpoints the store's WAL on a thread of its own. SQLite's documentation allows for this
// (https://sqlite.org/wal.html: an application may turn the automatic checkpoints off and run them
// in a separate thread or process): copying committed frames into the database file, and the
// fsyncs that go with it, then no longer run inside a delivery's commit on the event loop. The
// thread starts at the first commit (a store that never writes never starts it), and only then does
// the store's connection stop checkpointing. Should the thread fail, the connection checkpoints
// again as SQLite does by default, so the WAL never grows without bound, and a process warning says
// so. A `:memory:` database has no WAL and nothing to checkpoint.
import type Database from 'better-sqlite3';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Worker } from 'node:worker_threads';
import { startWorker } from '../../../../support/src/startWorker.ts';
import { CHECKPOINT_SIGNALS, type CheckpointWorkerData } from './walCheckpointSignals.ts';

export interface WalCheckpointer {
  /** Told after each commit of the store's connection. */
  committed(): void;
  /** Checkpoints the thread has run. */
  checkpoints(): number;
  /** Whether the thread failed, so that the connection checkpoints by itself again. */
  failed(): boolean;
  /** Stops the thread, after the checkpoint it may be running; call it before closing the connection. */
  close(): Promise<void>;
}

export interface WalCheckpointerOptions {
  /** How long commits gather before a checkpoint, in ms (default 20). */
  gatherMs?: number;
  /** WAL size, in pages, above which a checkpoint also tries to wrap the WAL round (default 4000). */
  restartAboveFrames?: number;
}

/** SQLite's own setting, which the connection returns to if the thread fails. */
const SQLITE_AUTOCHECKPOINT_PAGES = 1000;

/** The thread's code, named by its source (startWorker runs the compiled file when compiled). */
const workerEntry = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  'walCheckpointWorker.ts',
);

/** Nothing to checkpoint: a `:memory:` database has no WAL. */
const NO_CHECKPOINTS: WalCheckpointer = {
  committed: () => {},
  checkpoints: () => 0,
  failed: () => false,
  close: async () => {},
};

export function walCheckpointer(
  db: Database.Database,
  file: string,
  options: WalCheckpointerOptions = {},
): WalCheckpointer {
  if (file === ':memory:') return NO_CHECKPOINTS;
  const signals = new SharedArrayBuffer(
    Object.keys(CHECKPOINT_SIGNALS).length * Int32Array.BYTES_PER_ELEMENT,
  );
  const view = new Int32Array(signals);
  let worker: Worker | null = null;
  let exited: Promise<void> = Promise.resolve();
  let closing = false;
  let failed = false;

  const fail = (error: unknown) => {
    if (closing || failed) return;
    failed = true;
    if (db.open) db.pragma(`wal_autocheckpoint = ${SQLITE_AUTOCHECKPOINT_PAGES}`);
    // An error thrown in the thread arrives as a copy that may no longer be an Error.
    const message =
      typeof error === 'string' ? error : (error as { message?: unknown } | null)?.message;
    const reason = typeof message === 'string' ? `: ${message}` : '';
    process.emitWarning(
      `the SQLite checkpoint thread stopped${reason}; the store checkpoints in its commits again`,
      { code: 'SQLITE_CHECKPOINT_THREAD' },
    );
  };

  const start = () => {
    const workerData: CheckpointWorkerData = {
      file: path.resolve(file),
      signals,
      gatherMs: options.gatherMs ?? 20,
      restartAboveFrames: options.restartAboveFrames ?? 4 * SQLITE_AUTOCHECKPOINT_PAGES,
    };
    const started = startWorker(workerEntry, workerData);
    // A process that ends without closing its store is not kept alive by this thread.
    started.unref();
    started.on('error', fail);
    exited = new Promise((resolve) => started.once('exit', () => resolve()));
    started.once('exit', (code) => fail(`exit code ${code}`));
    db.pragma('wal_autocheckpoint = 0');
    worker = started;
  };

  return {
    committed() {
      if (closing || failed) return;
      if (worker === null) start();
      Atomics.add(view, CHECKPOINT_SIGNALS.commits, 1);
      Atomics.notify(view, CHECKPOINT_SIGNALS.commits);
    },
    checkpoints: () => Atomics.load(view, CHECKPOINT_SIGNALS.checkpoints),
    failed: () => failed,
    async close() {
      closing = true;
      Atomics.store(view, CHECKPOINT_SIGNALS.stop, 1);
      Atomics.notify(view, CHECKPOINT_SIGNALS.stop);
      Atomics.notify(view, CHECKPOINT_SIGNALS.commits);
      // Waiting for the thread keeps the process alive until it has stopped.
      worker?.ref();
      await exited;
    },
  };
}
