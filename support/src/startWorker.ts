// Starts a worker thread on an entry point named by its TypeScript source, as spawnListening.ts
// starts child processes: the compiled `.js` beside it when running compiled, the source through
// tsx otherwise. A worker does not inherit tsx's loader from the thread that starts it, so from
// source the worker runs a bootstrap that registers tsx before importing the entry.
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { runnableEntry, runningCompiled } from './projectRoot.ts';

export function startWorker(entry: string, workerData: unknown): Worker {
  if (runningCompiled) return new Worker(runnableEntry(entry), { workerData });
  const tsx = JSON.stringify(import.meta.resolve('tsx/esm/api'));
  const source = JSON.stringify(pathToFileURL(entry).href);
  return new Worker(`import(${tsx}).then((tsx) => { tsx.register(); return import(${source}); })`, {
    eval: true,
    workerData,
  });
}
