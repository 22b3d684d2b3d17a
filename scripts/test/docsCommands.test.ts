// Keeps README.md and docs/ true: runs every fenced block marked `runnable` with bash, checks that
// each `npm run X` names a script, that the README mentions every script, and that relative links
// (and their #headings) exist.
//
// Markers, in a fence's info string (after the language, so readers never see them):
//   ```sh runnable                          must exit 0
//   ```sh runnable exit=1                   must exit with that status
//   ```sh runnable background wait=URL      started and left running, once URL answers, for the
//                                           blocks after it in the same file; stopped at its end
// The blocks of one file run in order, in a temporary folder whose entries link to this checkout
// (so ./data/ and report files land there, and no .env is read), each block in a process group of
// its own that is stopped afterwards. Ports 3000 and 4010 in the blocks are moved to free ports,
// and PORT and MOCK_HEAP_PORT are set to match, so a run never collides with a sandbox in use.
import test, { type ExecutionContext } from 'ava';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, symlink } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../../support/src/freePort.ts';
import { projectRoot } from '../../support/src/projectRoot.ts';

/** Scripts the README need not name as `npm run <name>`: it shows them as `npm <name>`. */
const README_EXEMPT_SCRIPTS: readonly string[] = ['test', 'start'];

const README_MAX_LINES = 200;
const BLOCK_TIME_LIMIT_MS = 240_000;
const READY_TIME_LIMIT_MS = 180_000;
const STOP_GRACE_MS = 10_000;

interface CodeBlock {
  file: string;
  /** 1-based line of the opening fence. */
  line: number;
  language: string;
  flags: Set<string>;
  options: Map<string, string>;
  text: string;
}

/** A document: its repository-relative path, its text, its fenced blocks and its prose lines. */
interface Doc {
  file: string;
  text: string;
  blocks: CodeBlock[];
  /** The lines outside fenced blocks, with their 1-based numbers. */
  prose: { line: number; text: string }[];
}

/** README.md, conformance/INTERPRETING.md and every page of docs/ (read at once: ava declares tests synchronously). */
function documents(): Doc[] {
  const pages = readdirSync(path.join(projectRoot, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .sort();
  const files = [
    'README.md',
    'conformance/INTERPRETING.md',
    ...pages.map((name) => `docs/${name}`),
  ];
  return files.map((file) => parseDoc(file, readFileSync(path.join(projectRoot, file), 'utf8')));
}

function parseDoc(file: string, text: string): Doc {
  const lines = text.split('\n');
  const blocks: CodeBlock[] = [];
  const prose: Doc['prose'] = [];
  for (let index = 0; index < lines.length; index++) {
    const open = /^(\s*)(`{3,}|~{3,})(.*)$/.exec(lines[index]!);
    if (!open) {
      prose.push({ line: index + 1, text: lines[index]! });
      continue;
    }
    const [, indent, fence, info] = open as unknown as [string, string, string, string];
    const body: string[] = [];
    let end = index + 1;
    while (end < lines.length && !lines[end]!.trim().startsWith(fence)) {
      const content = lines[end]!;
      body.push(content.startsWith(indent) ? content.slice(indent.length) : content.trimStart());
      end++;
    }
    const [language = '', ...words] = info.trim().split(/\s+/);
    const flags = new Set(words.filter((word) => !word.includes('=')));
    const options = new Map(
      words
        .filter((word) => word.includes('='))
        .map((word) => [word.slice(0, word.indexOf('=')), word.slice(word.indexOf('=') + 1)]),
    );
    blocks.push({ file, line: index + 1, language, flags, options, text: body.join('\n') });
    index = end;
  }
  return { file, text, blocks, prose };
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens. */
function headingAnchor(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, '')
    .replace(/ /g, '-');
}

function anchorsOf(doc: Doc): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const { text } of doc.prose) {
    const heading = /^#{1,6}\s+(.*)$/.exec(text);
    if (!heading) continue;
    const base = headingAnchor(heading[1]!);
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    anchors.add(count === 0 ? base : `${base}-${count}`);
  }
  return anchors;
}

async function scriptNames(): Promise<string[]> {
  const manifest = JSON.parse(await readFile(path.join(projectRoot, 'package.json'), 'utf8')) as {
    scripts: Record<string, string>;
  };
  return Object.keys(manifest.scripts);
}

/** Every `npm run <name>` in a document, prose and code alike, with its line. */
function npmRunMentions(doc: Doc): { name: string; line: number }[] {
  const mentions: { name: string; line: number }[] = [];
  for (const [index, line] of doc.text.split('\n').entries()) {
    for (const match of line.matchAll(/npm run ([a-z][\w:.-]*)/g)) {
      mentions.push({ name: match[1]!.replace(/[.:]+$/, ''), line: index + 1 });
    }
  }
  return mentions;
}

test('README.md stays short: the quick start and a table of contents', async (t) => {
  const readme = await readFile(path.join(projectRoot, 'README.md'), 'utf8');
  const lines = readme.trimEnd().split('\n').length;
  t.true(lines <= README_MAX_LINES, `README.md has ${lines} lines (at most ${README_MAX_LINES})`);
});

test('README.md names every npm script as npm run <name>', async (t) => {
  const readme = await readFile(path.join(projectRoot, 'README.md'), 'utf8');
  const missing = (await scriptNames())
    .filter((name) => !README_EXEMPT_SCRIPTS.includes(name))
    .filter(
      (name) =>
        !new RegExp(`npm run ${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\w:.-])`).test(
          readme,
        ),
    );
  t.deepEqual(
    missing,
    [],
    `README.md never mentions: ${missing.map((name) => `npm run ${name}`).join(', ')}`,
  );
});

test('every npm run X in the docs names a script of package.json', async (t) => {
  const scripts = new Set(await scriptNames());
  const unknown = documents().flatMap((doc) =>
    npmRunMentions(doc)
      .filter(({ name }) => !scripts.has(name))
      .map(({ name, line }) => `${doc.file}:${line}: npm run ${name}`),
  );
  t.deepEqual(unknown, []);
});

test('every relative link in the docs points at a file (and heading) that exists', async (t) => {
  const docs = documents();
  const byFile = new Map(docs.map((doc) => [doc.file, doc]));
  const broken: string[] = [];
  let checked = 0;
  for (const doc of docs) {
    for (const { line, text } of doc.prose) {
      for (const match of text.matchAll(/\[[^\]]*\]\(([^)\s]+)\)/g)) {
        const target = match[1]!;
        if (/^[a-z][a-z+.-]*:/i.test(target)) continue;
        checked++;
        const [filePart, anchor] = target.split('#') as [string, string | undefined];
        const file = filePart
          ? path.posix.normalize(path.posix.join(path.posix.dirname(doc.file), filePart))
          : doc.file;
        if (!existsSync(path.join(projectRoot, file))) {
          broken.push(`${doc.file}:${line}: ${target} (no file ${file})`);
          continue;
        }
        if (anchor === undefined || !file.endsWith('.md')) continue;
        const targetDoc =
          byFile.get(file) ?? parseDoc(file, await readFile(path.join(projectRoot, file), 'utf8'));
        if (!anchorsOf(targetDoc).has(anchor)) {
          broken.push(`${doc.file}:${line}: ${target} (no heading #${anchor} in ${file})`);
        }
      }
    }
  }
  t.true(checked > 20, 'the docs link to each other');
  t.deepEqual(broken, []);
});

// --- Running the blocks ---------------------------------------------------------------------

/** A temporary folder whose entries link to the checkout's, without its data, .env or .git. */
async function checkoutLinks(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'docs-commands-'));
  for (const entry of await readdir(projectRoot)) {
    if (['.git', '.env', 'data', 'dist'].includes(entry)) continue;
    await symlink(path.join(projectRoot, entry), path.join(dir, entry));
  }
  return dir;
}

interface Session {
  cwd: string;
  env: NodeJS.ProcessEnv;
  ports: Map<string, number>;
}

function withSessionPorts(text: string, session: Session): string {
  return text.replace(
    /\b(127\.0\.0\.1|localhost):(3000|4010)\b/g,
    (_, host: string, port: string) => `${host}:${session.ports.get(port)}`,
  );
}

interface Running {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

/** Runs a block with bash in a new process group (so the whole group can be stopped). */
function runBlock(block: CodeBlock, session: Session): Running {
  const child = spawn(
    'bash',
    ['-e', '-o', 'pipefail', '-c', withSessionPorts(block.text, session)],
    {
      cwd: session.cwd,
      env: session.env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) =>
    child.on('exit', (code, signal) => resolve(signal ? null : code)),
  );
  return { child, output: () => output, exited };
}

function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function until(
  condition: () => boolean | Promise<boolean>,
  limitMs: number,
): Promise<boolean> {
  const deadline = Date.now() + limitMs;
  while (Date.now() < deadline) {
    if (await condition()) return true;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return condition();
}

/** Stops a block's process group: SIGTERM, then SIGKILL after a grace period. */
async function stopGroup(pid: number): Promise<void> {
  if (!groupAlive(pid)) return;
  process.kill(-pid, 'SIGTERM');
  if (await until(() => !groupAlive(pid), STOP_GRACE_MS)) return;
  process.kill(-pid, 'SIGKILL');
  await until(() => !groupAlive(pid), STOP_GRACE_MS);
}

async function answers(url: string): Promise<boolean> {
  const target = new URL(url);
  if (target.protocol === 'https:') {
    // A local CA the test does not trust: a TCP connection is the sign of life.
    return new Promise((resolve) => {
      const socket = net.connect(Number(target.port), target.hostname, () => {
        socket.destroy();
        resolve(true);
      });
      socket.on('error', () => resolve(false));
    });
  }
  try {
    return (await fetch(url)).ok;
  } catch {
    return false;
  }
}

function where(block: CodeBlock): string {
  return `${block.file}:${block.line}`;
}

async function runDocBlocks(t: ExecutionContext, doc: Doc, runnable: CodeBlock[]): Promise<void> {
  const cwd = await checkoutLinks();
  const ports = new Map([
    ['3000', await freePort()],
    ['4010', await freePort()],
  ]);
  const session: Session = {
    cwd,
    ports,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      LANG: process.env.LANG ?? 'C.UTF-8',
      TMPDIR: os.tmpdir(),
      PORT: String(ports.get('3000')),
      MOCK_HEAP_PORT: String(ports.get('4010')),
    },
  };
  const background: { block: CodeBlock; run: Running }[] = [];
  try {
    for (const block of runnable) {
      const run = runBlock(block, session);
      if (block.flags.has('background')) {
        background.push({ block, run });
        const url = block.options.get('wait');
        if (!url) {
          t.fail(`${where(block)}: a background block needs wait=URL`);
          return;
        }
        const ready = await Promise.race([
          until(() => answers(withSessionPorts(url, session)), READY_TIME_LIMIT_MS),
          run.exited.then(() => false),
        ]);
        if (!ready) {
          t.fail(`${where(block)}: ${url} never answered\n${run.output().slice(-3000)}`);
          return;
        }
        continue;
      }
      const timer = setTimeout(() => void stopGroup(run.child.pid!), BLOCK_TIME_LIMIT_MS);
      const code = await run.exited;
      clearTimeout(timer);
      const expected = Number(block.options.get('exit') ?? 0);
      t.is(code, expected, `${where(block)} exited ${code}\n${run.output().slice(-3000)}`);
      const leftBehind = !(await until(() => !groupAlive(run.child.pid!), 3_000));
      await stopGroup(run.child.pid!);
      t.false(leftBehind, `${where(block)} left a process running`);
    }
  } finally {
    for (const { run } of background.reverse()) await stopGroup(run.child.pid!);
    for (const { block, run } of background) {
      t.false(groupAlive(run.child.pid!), `${where(block)}: a process outlived the stop`);
    }
    await rm(cwd, { recursive: true, force: true });
  }
}

const docsWithBlocks = documents();
for (const doc of docsWithBlocks) {
  const runnable = doc.blocks.filter((block) => block.flags.has('runnable'));
  if (runnable.length === 0) continue;
  test.serial(`the runnable blocks of ${doc.file} run as written`, async (t) => {
    t.timeout(30 * 60_000);
    const unknownLanguage = runnable.filter((block) => !['sh', 'bash'].includes(block.language));
    t.deepEqual(unknownLanguage.map(where), [], 'runnable blocks are shell');
    await runDocBlocks(t, doc, runnable);
  });
}

test("the harness reports a block's exit status and stops a background block's whole group", async (t) => {
  const doc = parseDoc(
    'example.md',
    [
      '```sh runnable background wait=http://127.0.0.1:3000/',
      'node -e "require(\'node:http\').createServer((q, a) => a.end()).listen(process.env.PORT)"',
      '```',
      '```sh runnable',
      'curl -fsS http://127.0.0.1:3000/ && exit 3',
      '```',
    ].join('\n'),
  );
  const session: Session = {
    cwd: os.tmpdir(),
    ports: new Map([
      ['3000', await freePort()],
      ['4010', await freePort()],
    ]),
    env: { PATH: process.env.PATH },
  };
  session.env.PORT = String(session.ports.get('3000'));
  const [server, failing] = doc.blocks as [CodeBlock, CodeBlock];
  const serverRun = runBlock(server, session);
  t.true(await until(() => answers(withSessionPorts('http://127.0.0.1:3000/', session)), 60_000));
  t.is(await runBlock(failing, session).exited, 3);
  await stopGroup(serverRun.child.pid!);
  t.false(groupAlive(serverRun.child.pid!));
  t.false(await answers(withSessionPorts('http://127.0.0.1:3000/', session)));
});
