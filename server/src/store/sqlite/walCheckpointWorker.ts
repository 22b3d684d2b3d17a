// The thread of the background checkpointer (walCheckpointer.ts). Its own connection to the store's
// file copies committed WAL frames into the database file, so that this copying and its fsyncs run
// beside the server's event loop instead of inside a delivery's commit. It waits for the commit
// counter to move, lets further commits gather for `gatherMs`, and runs a PASSIVE checkpoint, which
// neither waits for nor blocks the writer. The writer wraps the WAL round only when every frame
// has been copied; should the WAL hold more than `restartAboveFrames` after a checkpoint, a RESTART
// checkpoint is tried once without waiting (it goes ahead only if no write is under way).
// A failure (the file unreadable, a disk error) ends the thread; the store then checkpoints as
// SQLite does by default.
import Database from 'better-sqlite3';
import { workerData } from 'node:worker_threads';
import { CHECKPOINT_SIGNALS, type CheckpointWorkerData } from './walCheckpointSignals.ts';

const { file, signals, gatherMs, restartAboveFrames } = workerData as CheckpointWorkerData;
const view = new Int32Array(signals);
const db = new Database(file, { fileMustExist: true });
db.pragma('busy_timeout = 0');

const stopping = () => Atomics.load(view, CHECKPOINT_SIGNALS.stop) === 1;

let seen = 0;
while (!stopping()) {
  Atomics.wait(view, CHECKPOINT_SIGNALS.commits, seen);
  if (stopping()) break;
  Atomics.wait(view, CHECKPOINT_SIGNALS.stop, 0, gatherMs);
  if (stopping()) break;
  seen = Atomics.load(view, CHECKPOINT_SIGNALS.commits);
  const [{ log }] = db.pragma('wal_checkpoint(PASSIVE)') as [{ log: number }];
  if (log > restartAboveFrames) db.pragma('wal_checkpoint(RESTART)');
  Atomics.add(view, CHECKPOINT_SIGNALS.checkpoints, 1);
}
db.close();
