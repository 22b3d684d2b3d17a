// `npm test`'s ava run: runs ava with the given arguments, then fails, listing them, when any
// process the run started is still alive (a test run leaves no process of its own behind).
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { projectRoot } from '../src/projectRoot.ts';
import { leftoverProcesses, listProcesses, TEST_RUN_MARKER } from './leftoverProcesses.ts';

/** How long processes that are still stopping when ava exits get before they count as left. */
const SETTLE_MS = 5_000;

const marker = randomUUID();
const before = new Set(listProcesses().map((info) => info.pid));
// ava's package exports do not include its CLI; its bin entry is a file in the package.
const avaCli = path.join(projectRoot, 'node_modules', 'ava', 'entrypoints', 'cli.mjs');
const ava = spawn(process.execPath, [avaCli, ...process.argv.slice(2)], {
  cwd: projectRoot,
  stdio: 'inherit',
  env: { ...process.env, [TEST_RUN_MARKER]: marker },
});
// Ctrl-C reaches ava through the terminal; this process only waits for it.
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => ava.kill(signal));
const code = await new Promise<number>((resolve) =>
  ava.on('exit', (exitCode, signal) => resolve(exitCode ?? (signal ? 1 : 0))),
);

const own = new Set([process.pid, process.ppid]);
const left = () => leftoverProcesses(before, listProcesses(marker), projectRoot, own);
const deadline = Date.now() + SETTLE_MS;
while (left().length > 0 && Date.now() < deadline) {
  await new Promise((resolve) => setTimeout(resolve, 250));
}
const remaining = left();
if (remaining.length > 0) {
  console.error(
    `\nThe test run left ${remaining.length} ${remaining.length === 1 ? 'process' : 'processes'} running:`,
  );
  for (const info of remaining) {
    console.error(
      `  ${info.pid} ${info.command.slice(0, 200)}${info.cwd ? ` (in ${info.cwd})` : ''}`,
    );
  }
  process.exit(code === 0 ? 1 : code);
}
process.exit(code);
