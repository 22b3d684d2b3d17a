// What the background checkpointer's two sides share: the slots of their shared Int32Array and the
// settings the thread starts with.

export const CHECKPOINT_SIGNALS = {
  /** Group transactions committed (it wraps round; only a change is read). */
  commits: 0,
  /** 1 once the thread is to stop. */
  stop: 1,
  /** Checkpoints the thread has run. */
  checkpoints: 2,
} as const;

export interface CheckpointWorkerData {
  file: string;
  signals: SharedArrayBuffer;
  /** How long commits gather before a checkpoint, in ms. */
  gatherMs: number;
  /** WAL size, in pages, above which a checkpoint also tries to wrap the WAL round. */
  restartAboveFrames: number;
}
