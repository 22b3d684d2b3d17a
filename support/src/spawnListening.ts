// Runs a TypeScript entry point as a child process and waits until its output announces a URL.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { runnableEntry, runningCompiled } from './projectRoot.ts';

export interface ChildRun {
  child: ChildProcess;
  /** Everything the process printed so far (stdout and stderr). */
  output(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export interface ListeningChild extends ChildRun {
  url: string;
}

/**
 * tsx resolved from this project, so a child can run in any working folder; empty when running
 * compiled, where tsx is not installed and not needed.
 */
export const tsxLoader = runningCompiled ? '' : import.meta.resolve('tsx');

/** Node's arguments to run `entry` (a .ts path): through tsx from source, the .js when compiled. */
export function nodeArgsFor(entry: string): string[] {
  return runningCompiled ? [runnableEntry(entry)] : [`--import=${tsxLoader}`, entry];
}

export function runTypeScript(
  entry: string,
  options: {
    env: Record<string, string>;
    cwd: string;
    args?: string[];
    keepOutput?: boolean;
    /** Write the child's output to this file instead of piping it to this process. */
    logFile?: string;
    /** Start the child in its own process group, so that it and its children can be stopped together. */
    detached?: boolean;
  },
): ChildRun {
  const logFd = options.logFile ? openSync(options.logFile, 'a') : null;
  const child = spawn(process.execPath, [...nodeArgsFor(entry), ...(options.args ?? [])], {
    cwd: options.cwd,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...options.env },
    stdio: logFd === null ? ['ignore', 'pipe', 'pipe'] : ['ignore', logFd, logFd],
    detached: options.detached ?? false,
  });
  if (logFd !== null) {
    closeSync(logFd);
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.on('exit', (code, signal) => resolve({ code, signal })),
    );
    return { child, output: () => readFileSync(options.logFile!, 'utf8'), exited };
  }
  let output = '';
  const keep = options.keepOutput ?? true;
  const collect = (chunk: Buffer) => {
    // Long runs only keep the start and the end of what was printed.
    output = keep || output.length < 64 * 1024 ? output + chunk.toString() : output;
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, output: () => output, exited };
}

/** Resolves with the first URL matched by `announcement` (group 1); kills the child on failure. */
export async function waitForUrl(
  run: ChildRun,
  announcement: RegExp,
  timeoutMs = 30_000,
): Promise<ListeningChild> {
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      run.child.kill('SIGKILL');
      reject(new Error(`no announcement within ${timeoutMs} ms:\n${run.output()}`));
    }, timeoutMs);
    const check = () => {
      const match = announcement.exec(run.output());
      if (match) {
        clearTimeout(timer);
        run.child.stdout!.off('data', check);
        resolve(match[1]!);
      }
    };
    run.child.stdout!.on('data', check);
    void run.exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`exited before announcing a URL:\n${run.output()}`));
    });
  });
  return { url, ...run };
}

/** Polls `url` until it answers 200; fails if the child exits first or time runs out. */
export async function waitForHealthy(
  run: ChildRun,
  url: string,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exited = false;
  void run.exited.then(() => (exited = true));
  while (Date.now() < deadline && !exited) {
    try {
      if ((await fetch(url)).status === 200) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  run.child.kill('SIGKILL');
  throw new Error(`${url} did not become healthy:\n${run.output().slice(-2000)}`);
}
