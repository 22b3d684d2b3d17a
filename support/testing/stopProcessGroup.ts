// Stops a child started in its own process group and everything it started (the sandbox's mock
// Heap, Prism and server): SIGTERM to the whole group, then SIGKILL to whatever is left.
import type { ChildRun } from '../src/spawnListening.ts';

/** True while any process of the group is alive. */
export function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Asks the group to stop, waits up to `graceMs` for every member to end, then kills the rest.
 * For a child spawned with `detached: true` (its pid is its group id).
 */
export async function stopProcessGroup(run: ChildRun, graceMs = 10_000): Promise<void> {
  const pgid = run.child.pid;
  if (pgid === undefined || !groupAlive(pgid)) return;
  process.kill(-pgid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (groupAlive(pgid) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  if (groupAlive(pgid)) process.kill(-pgid, 'SIGKILL');
}
