// Finds processes a test run left behind: started after the run began, and carrying the run's
// marker in their environment or a path into this checkout on their command line. A working folder
// inside the checkout alone does not count: a developer's shell or editor has one too.
import { readFileSync, readlinkSync, readdirSync } from 'node:fs';
import path from 'node:path';

export interface ProcessInfo {
  pid: number;
  /** The command line, arguments joined by spaces. */
  command: string;
  /** The working folder, when it can be read. */
  cwd: string | null;
  /** True when the process's environment holds the marker. */
  marked: boolean;
}

/** The environment variable every process of one test run inherits, set to the run's id. */
export const TEST_RUN_MARKER = 'HEAP_SYNC_TEST_RUN';

/** Every process this user can read, from /proc (Linux). */
export function listProcesses(marker: string | null = null): ProcessInfo[] {
  const processes: ProcessInfo[] = [];
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return processes;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    const dir = path.join('/proc', entry);
    try {
      const command = readFileSync(path.join(dir, 'cmdline'), 'utf8').split('\0').join(' ').trim();
      if (!command) continue; // a kernel thread or a zombie
      let cwd: string | null = null;
      let marked = false;
      try {
        cwd = readlinkSync(path.join(dir, 'cwd'));
        marked =
          marker !== null &&
          readFileSync(path.join(dir, 'environ'), 'utf8')
            .split('\0')
            .includes(`${TEST_RUN_MARKER}=${marker}`);
      } catch {
        // Another user's process: only its command line is readable.
      }
      processes.push({ pid: Number(entry), command, cwd, marked });
    } catch {
      // The process ended while it was being read.
    }
  }
  return processes;
}

/**
 * The processes of `now` that did not exist `before` and belong to the run: marked, or whose
 * command line points into `root`. `exclude` are the run's own (this process).
 */
export function leftoverProcesses(
  before: ReadonlySet<number>,
  now: readonly ProcessInfo[],
  root: string,
  exclude: ReadonlySet<number>,
): ProcessInfo[] {
  return now.filter(
    (info) =>
      !before.has(info.pid) &&
      !exclude.has(info.pid) &&
      (info.marked || info.command.includes(root + path.sep)),
  );
}
