// Runs Prism (@stoplight/prism-cli) as a child process serving spec/heap_partner_api.yaml: it
// validates every request against the spec and answers from the spec's examples.
import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { freePort } from '../../support/src/freePort.ts';

const require = createRequire(import.meta.url);

export interface PrismProcess {
  url: string;
  stop(): Promise<void>;
}

export async function startPrism(
  specFile: string,
  options: { timeoutMs?: number } = {},
): Promise<PrismProcess> {
  const prismEntry = path.join(
    path.dirname(require.resolve('@stoplight/prism-cli/package.json')),
    'dist',
    'index.js',
  );
  const port = await freePort();
  const child: ChildProcess = spawn(
    process.execPath,
    [prismEntry, 'mock', specFile, '-h', '127.0.0.1', '-p', String(port)],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' },
    },
  );
  let output = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(
          `Prism did not start within ${options.timeoutMs ?? 60_000} ms:\n${output.slice(-2000)}`,
        ),
      );
    }, options.timeoutMs ?? 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Prism is listening')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`Prism exited before listening:\n${output.slice(-2000)}`));
    });
  });
  // Prism logs every request; the mock Heap logs its own lines instead.
  child.stdout!.resume();
  child.stderr!.resume();
  return {
    url: `http://127.0.0.1:${port}`,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const forced = setTimeout(() => child.kill('SIGKILL'), 5_000);
        await exited;
        clearTimeout(forced);
      }
    },
  };
}
