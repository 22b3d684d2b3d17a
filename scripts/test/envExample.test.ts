// .env.example lists every setting the server, the mock Heap, the sender and the suite read.
import { INVOKED_AS_ENV } from '../../support/src/commandLine.ts';
import test from 'ava';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseConformanceArgs } from '../../conformance/src/conformanceOptions.ts';
import { parseServerConfig } from '../../server/src/index.ts';
import { projectRoot } from '../../support/src/projectRoot.ts';
import { parseMockHeapConfig } from '../mockHeap/mockHeapConfig.ts';
import { parseSendArgs } from '../send/sendOptions.ts';

/** An empty environment that records every variable read from it. */
function recordingEnv(read: Set<string>, values: Record<string, string> = {}): NodeJS.ProcessEnv {
  return new Proxy(values, {
    get(target, name) {
      if (typeof name === 'string') read.add(name);
      return typeof name === 'string' ? target[name] : undefined;
    },
  });
}

/** `NAME=` lines, commented out or not. */
function listedSettings(): Set<string> {
  const text = readFileSync(path.join(projectRoot, '.env.example'), 'utf8');
  return new Set([...text.matchAll(/^#? ?([A-Z][A-Z0-9_]*)=/gm)].map((match) => match[1]!));
}

/** Variables read in the source text (env.NAME, env['NAME'], given('NAME')). */
function namesInSource(file: string): string[] {
  const source = readFileSync(path.join(projectRoot, file), 'utf8');
  return [
    ...source.matchAll(/\benv(?:\.([A-Z][A-Z0-9_]*)|\[['"]([A-Z][A-Z0-9_]*)['"]\])/g),
    ...source.matchAll(/\bgiven\(['"]([A-Z][A-Z0-9_]*)['"]\)/g),
  ].map((match) => (match[1] ?? match[2])!);
}

test('every variable serverConfig.ts reads is in .env.example', (t) => {
  const read = new Set<string>(namesInSource('server/src/config/serverConfig.ts'));
  t.true(parseServerConfig(recordingEnv(read)).ok);
  parseServerConfig(recordingEnv(read, { NODE_ENV: 'production', WEBHOOK_SECRET: 'x'.repeat(32) }));
  // Sanity: the recording sees what the server reads.
  t.true(read.has('WEBHOOK_SECRET') && read.has('DATABASE_URL') && read.has('COOKIE_SECRET'));
  const listed = listedSettings();
  t.deepEqual(
    [...read].filter((name) => !listed.has(name)),
    [],
    'settings the server reads but .env.example does not list',
  );
});

test('every variable the mock Heap, the sender and the suite read is in .env.example', (t) => {
  const read = new Set<string>([
    ...namesInSource('scripts/mockHeap/mockHeapConfig.ts'),
    ...namesInSource('scripts/start.ts'),
    ...namesInSource('scripts/send/connectedAccount.ts'),
  ]);
  t.true(parseMockHeapConfig(recordingEnv(read)).ok);
  t.is(parseSendArgs(['sync'], recordingEnv(read)).kind, 'run');
  parseConformanceArgs(['--url', 'http://127.0.0.1:1/users_sync'], recordingEnv(read));
  parseConformanceArgs([], recordingEnv(read));
  t.true(read.has('MOCK_HEAP_PORT') && read.has('INSPECT_TOKEN'));
  const listed = listedSettings();
  // The installed heap-sync sets INVOKED_AS_ENV for what it runs; it is not a user's setting.
  t.deepEqual(
    [...read].filter((name) => !listed.has(name) && name !== INVOKED_AS_ENV),
    [],
    'settings read but not listed',
  );
});

test('every setting in .env.example has a comment above it', (t) => {
  const text = readFileSync(path.join(projectRoot, '.env.example'), 'utf8');
  const lines = text.split('\n');
  for (const [index, line] of lines.entries()) {
    const name = /^# ?([A-Z][A-Z0-9_]*)=/.exec(line)?.[1];
    if (!name) continue;
    // The comment is the block of prose lines above a run of NAME= lines.
    let above = index - 1;
    while (above >= 0 && /^# ?[A-Z][A-Z0-9_]*=/.test(lines[above]!)) above -= 1;
    t.regex(lines[above] ?? '', /^# \S/, `${name} has no comment above it`);
  }
});
