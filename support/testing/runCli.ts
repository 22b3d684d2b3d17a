// Runs one of the project's TypeScript CLIs as a child process and collects what it printed.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { projectRoot } from '../src/projectRoot.ts';
import { tsxLoader } from '../src/spawnListening.ts';

export interface CliOutcome {
  code: number;
  stdout: string;
  stderr: string;
}

export function runCli(
  script: string,
  args: string[],
  options: { env?: Record<string, string>; cwd?: string; timeoutMs?: number } = {},
): Promise<CliOutcome> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [`--import=${tsxLoader}`, path.join(projectRoot, script), ...args],
      {
        cwd: options.cwd ?? projectRoot,
        env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...options.env },
        timeout: options.timeoutMs ?? 120_000,
        maxBuffer: 64 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}
