// Runs `server/src/main.ts` as a child process, as `npm run server` does, and waits until it listens.
import path from 'node:path';
import { projectRoot } from '../../../support/src/projectRoot.ts';
import {
  runTypeScript,
  waitForUrl,
  type ChildRun,
  type ListeningChild,
} from '../../../support/src/spawnListening.ts';
import { SERVER_LISTENING } from '../../src/log/listeningLine.ts';

export function runServerMain(env: Record<string, string>): ChildRun {
  return runTypeScript(path.join(projectRoot, 'server/src/main.ts'), { env, cwd: projectRoot });
}

/** Starts the server on a free port and resolves once it logged `listening`. */
export function startServerProcess(env: Record<string, string>): Promise<ListeningChild> {
  return waitForUrl(runServerMain({ HOST: '127.0.0.1', PORT: '0', ...env }), SERVER_LISTENING);
}
