// The server logs readable lines (pino-pretty) to a terminal and JSON lines to anything else.
import test from 'ava';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { projectRoot } from '../../support/src/projectRoot.ts';
import { tsxLoader } from '../../support/src/spawnListening.ts';
import { startServerProcess } from './helpers/serverProcess.ts';

let dir: string;
test.before(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'terminal-logs-'));
});
test.after.always(async () => {
  await rm(dir, { recursive: true, force: true });
});

const shellQuote = (value: string) => `'${value.replaceAll("'", `'\\''`)}'`;
// eslint-disable-next-line no-control-regex
const withoutColours = (text: string) => text.replace(/\x1b\[[0-9;]*m/g, '');

/** Runs the server on a pseudo-terminal (`script`), as a person would, until it says it listens. */
async function terminalOutput(env: Record<string, string>): Promise<string> {
  const command = [
    ...Object.entries(env).map(([name, value]) => `${name}=${shellQuote(value)}`),
    shellQuote(process.execPath),
    shellQuote(`--import=${tsxLoader}`),
    shellQuote(path.join(projectRoot, 'server/src/main.ts')),
  ].join(' ');
  const child = spawn('script', ['-qfec', command, '/dev/null'], {
    cwd: dir,
    detached: true,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', TERM: 'xterm' },
  });
  let output = '';
  await new Promise<void>((resolve) => {
    // Without a listening line, the assertions below fail and show what was printed.
    const timer = setTimeout(resolve, 60_000);
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      // The fields follow the message line; the last one printed is the database.
      if (/listening[\s\S]*database/.test(withoutColours(output))) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.on('exit', () => {
      clearTimeout(timer);
      resolve();
    });
  });
  try {
    process.kill(-child.pid!, 'SIGTERM');
  } catch {
    // Already gone.
  }
  return withoutColours(output);
}

test('on a terminal, log lines are pretty, not JSON, and never show the webhook secret', async (t) => {
  const output = await terminalOutput({
    PORT: '0',
    DATABASE_URL: `sqlite:${path.join(dir, 'tty.db')}`,
    WEBHOOK_SECRET: 'terminal-secret-never-printed',
  });
  t.regex(output, /^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: listening/m);
  t.regex(output, /^\s+url: "http:\/\/127\.0\.0\.1:\d+"/m);
  t.notRegex(output, /\{"level":/);
  t.false(output.includes('terminal-secret-never-printed'));
});

test('to a pipe, log lines are JSON', async (t) => {
  const server = await startServerProcess({ DATABASE_URL: `sqlite:${path.join(dir, 'pipe.db')}` });
  server.child.kill('SIGTERM');
  await server.exited;
  const lines = server
    .output()
    .split('\n')
    .filter((line) => line.trim());
  t.true(lines.length > 0);
  for (const line of lines) t.notThrows(() => JSON.parse(line), line);
});
