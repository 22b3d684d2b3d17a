// Runs `server/src/main.ts` as a child process, as `npm run server` does, and waits until it listens.
import path from 'node:path';
import { repoRoot } from '../../../scripts/generate/targets.ts';
import {
  runTypeScript,
  SERVER_LISTENING,
  waitForUrl,
  type ChildRun,
  type ListeningChild,
} from '../../../scripts/lib/spawnListening.ts';

export function runServerMain(env: Record<string, string>): ChildRun {
  return runTypeScript(path.join(repoRoot, 'server/src/main.ts'), { env, cwd: repoRoot });
}

/** Starts the server on a free port and resolves once it logged `listening`. */
export function startServerProcess(env: Record<string, string>): Promise<ListeningChild> {
  return waitForUrl(runServerMain({ HOST: '127.0.0.1', PORT: '0', ...env }), SERVER_LISTENING);
}
