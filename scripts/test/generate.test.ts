// `npm run generate --check` passes on the committed output and names what drifted otherwise.
import test from 'ava';
import { execFile } from 'node:child_process';
import { appendFile, cp, mkdtemp, rm, symlink, unlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { projectRoot } from '../../support/src/projectRoot.ts';
import { generatedDir } from '../generate/targets.ts';

const run = promisify(execFile);

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

async function generate(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<Outcome> {
  try {
    const { stdout, stderr } = await run(
      process.execPath,
      ['--import=tsx', path.join(projectRoot, 'scripts/generate.ts'), ...args],
      { env, cwd: projectRoot },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failure = error as { code: number; stdout: string; stderr: string };
    return { code: failure.code, stdout: failure.stdout, stderr: failure.stderr };
  }
}

async function copyOfGenerated(t: { teardown(fn: () => Promise<void>): void }): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'generated-copy-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  await cp(generatedDir, dir, { recursive: true });
  return dir;
}

test('the committed output matches the specs', async (t) => {
  const outcome = await generate(['--check']);
  t.is(outcome.code, 0, outcome.stderr);
  t.regex(outcome.stdout, /files match spec\//);
});

test('an edited, a deleted and an extra generated file each fail the check by name', async (t) => {
  const dir = await copyOfGenerated(t);
  await appendFile(path.join(dir, 'webhook.ts'), '// hand edit\n');
  await unlink(path.join(dir, 'heap-client/models/Metadata.ts'));
  await writeFile(path.join(dir, 'stray.ts'), 'export {};\n');
  const outcome = await generate(['--check', '--generated-dir', dir]);
  t.is(outcome.code, 1);
  t.regex(outcome.stderr, /generated\/webhook\.ts: differs .* at line \d+/);
  t.regex(outcome.stderr, /committed: \/\/ hand edit/);
  t.regex(outcome.stderr, /generated\/heap-client\/models\/Metadata\.ts: missing/);
  t.regex(outcome.stderr, /generated\/stray\.ts: not produced by the spec/);
});

test('generating into a folder twice writes the same files, then nothing', async (t) => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'generated-fresh-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const first = await generate(['--generated-dir', dir]);
  t.is(first.code, 0, first.stderr);
  t.regex(first.stdout, /(\d+) files from spec\/, \1 written, 0 removed/);
  const second = await generate(['--generated-dir', dir]);
  t.regex(second.stdout, / 0 written, 0 removed/);
  t.is((await generate(['--check', '--generated-dir', dir])).code, 0);
});

test('without Java the client step says so and the types are still generated and checked', async (t) => {
  const dir = await copyOfGenerated(t);
  await appendFile(path.join(dir, 'heap-partner-api.ts'), '// hand edit\n');
  // A PATH that holds node and nothing else: no java.
  const binDir = await mkdtemp(path.join(os.tmpdir(), 'no-java-bin-'));
  t.teardown(() => rm(binDir, { recursive: true, force: true }));
  await symlink(process.execPath, path.join(binDir, 'node'));
  const env: NodeJS.ProcessEnv = { ...process.env, PATH: binDir };
  delete env.JAVA_HOME;
  const outcome = await generate(['--check', '--generated-dir', dir], env);
  t.regex(outcome.stderr, /Java was not found .* openapi-generator needs Java 11 or later/s);
  t.regex(outcome.stderr, /generated\/heap-partner-api\.ts: differs/);
  t.notRegex(outcome.stderr, /heap-client\/.*(missing|not produced)/);
  t.is(outcome.code, 1);
});

test('a bad flag is a usage error, not a stack trace', async (t) => {
  const outcome = await generate(['--frobnicate']);
  t.is(outcome.code, 2);
  t.regex(outcome.stderr, /^generate: unknown flag --frobnicate\n\nUsage: npm run generate/);
  t.notRegex(outcome.stderr, /at .*\.ts:\d+/);
});
