// Runs a TypeScript entry point as a child process and waits until its output announces a URL.
import { spawn, type ChildProcess } from 'node:child_process';

export interface ChildRun {
  child: ChildProcess;
  /** Everything the process printed so far (stdout and stderr). */
  output(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export interface ListeningChild extends ChildRun {
  url: string;
}

/** tsx resolved from this project, so a child can run in any working folder. */
export const tsxLoader = import.meta.resolve('tsx');

export function runTypeScript(
  entry: string,
  options: { env: Record<string, string>; cwd: string; args?: string[]; keepOutput?: boolean },
): ChildRun {
  const child = spawn(process.execPath, [`--import=${tsxLoader}`, entry, ...(options.args ?? [])], {
    cwd: options.cwd,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
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
