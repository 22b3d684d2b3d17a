// The packed tarball installs into an empty project with no devDependencies and certifies a partner
// through `npx heap-sync conformance`; its library entry signs and verifies, with types.
import test from 'ava';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { startReferenceServer, type ReferenceServer } from '../../server/src/index.ts';
import { projectRoot } from '../../support/src/projectRoot.ts';

const run = promisify(execFile);
const PACKAGE = 'heap-segment-sync-toolkit';
let workDir: string;
let reference: ReferenceServer | null = null;

test.before(async () => {
  workDir = await mkdtemp(path.join(os.tmpdir(), 'heap-sync-packed-'));
});
test.after.always(async () => {
  await reference?.stop();
  await rm(workDir, { recursive: true, force: true });
});

/** A PATH holding only node, npm, npx and the shell npx runs commands with: no tsx, no TypeScript, no Java. */
async function nodeOnlyPath(): Promise<string> {
  const bin = path.join(workDir, 'node-only-bin');
  await mkdir(bin);
  const nodeDir = path.dirname(process.execPath);
  for (const name of ['node', 'npm', 'npx']) {
    await symlink(path.join(nodeDir, name), path.join(bin, name));
  }
  await symlink('/bin/sh', path.join(bin, 'sh'));
  return bin;
}

test('npm pack, npm install <tarball> --omit=dev, npx heap-sync conformance certifies a partner', async (t) => {
  t.timeout(20 * 60_000);
  const npmEnv = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' };

  // Pack (prepack compiles to dist/) and install into an empty project.
  const packDir = path.join(workDir, 'pack');
  await mkdir(packDir);
  await run('npm', ['pack', '--pack-destination', packDir], {
    cwd: projectRoot,
    env: npmEnv,
    maxBuffer: 64 * 1024 * 1024,
  });
  const [tarball] = (await readdir(packDir)).filter((name) => name.endsWith('.tgz'));
  t.truthy(tarball, 'npm pack wrote no tarball');
  const consumer = path.join(workDir, 'consumer');
  await mkdir(consumer);
  await writeFile(
    path.join(consumer, 'package.json'),
    JSON.stringify({ name: 'partner-service', private: true, type: 'module' }),
  );
  await run(
    'npm',
    [
      'install',
      '--omit=dev',
      '--prefer-offline',
      '--no-audit',
      '--no-fund',
      path.join(packDir, tarball!),
    ],
    { cwd: consumer, env: npmEnv, maxBuffer: 64 * 1024 * 1024, timeout: 15 * 60_000 },
  );
  const installed = (name: string) => existsSync(path.join(consumer, 'node_modules', name));
  t.true(installed(PACKAGE));
  // Started by path, not imported: the SQLite store's checkpoint thread ships beside its starter.
  t.true(installed(`${PACKAGE}/dist/server/src/store/sqlite/walCheckpointWorker.js`));
  for (const devOnly of [
    'tsx',
    'typescript',
    'ava',
    'eslint',
    '@openapitools/openapi-generator-cli',
  ]) {
    t.false(installed(devOnly), `${devOnly} was installed`);
  }

  // The installed command against a partner started here, with only node on PATH.
  reference = await startReferenceServer();
  const bin = await nodeOnlyPath();
  const outcome = await run(
    'npx',
    [
      'heap-sync',
      'conformance',
      '--url',
      `${reference.url}/users_sync`,
      '--drain-url',
      `${reference.url}/users_drain`,
      '--secret',
      reference.secret,
      '--large-page-size',
      '500',
      '--junit',
      'report.xml',
    ],
    {
      cwd: consumer,
      env: { PATH: bin, HOME: process.env.HOME ?? '' },
      maxBuffer: 64 * 1024 * 1024,
    },
  ).then(
    ({ stdout }) => ({ code: 0, stdout }),
    (error: { code?: number; stdout?: string; stderr?: string }) => ({
      code: error.code ?? -1,
      stdout: `${error.stdout ?? ''}${error.stderr ?? ''}`,
    }),
  );
  t.is(outcome.code, 0, outcome.stdout);
  t.regex(outcome.stdout, /PASS: \d+ passed, 0 failed/);
  t.regex(await readFile(path.join(consumer, 'report.xml'), 'utf8'), /<testsuites?\b/);
  const version = await run('npx', ['heap-sync', '--version'], {
    cwd: consumer,
    env: { PATH: bin, HOME: process.env.HOME ?? '' },
  });
  t.is(
    version.stdout.trim(),
    JSON.parse(await readFile(path.join(projectRoot, 'package.json'), 'utf8')).version,
  );

  // The library entry, from plain JavaScript...
  await writeFile(
    path.join(consumer, 'verify.mjs'),
    `import { signHeapHash, verifyHeapHash } from '${PACKAGE}';
const rawBody = '{"action_type":"segment.users.sync"}';
const header = signHeapHash({ rawBody, secret: 's3cret', timestamp: 1700000000000 });
const good = verifyHeapHash({ rawBody, header, secrets: ['s3cret'], now: 1700000000000 });
const bad = verifyHeapHash({ rawBody: rawBody + ' ', header, secrets: ['s3cret'], now: 1700000000000 });
console.log(JSON.stringify({ good: good.ok, bad: bad.ok ? null : bad.code }));
`,
  );
  const library = await run('node', ['verify.mjs'], { cwd: consumer, env: { PATH: bin } });
  t.deepEqual(JSON.parse(library.stdout), { good: true, bad: 'signature_mismatch' });

  // ...and from TypeScript, whose types come with the package (a wrong call must not compile).
  await writeFile(
    path.join(consumer, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        module: 'nodenext',
        moduleResolution: 'nodenext',
        target: 'es2022',
        strict: true,
        noEmit: true,
        skipLibCheck: false,
        // A Node server has @types/node: the declarations name Buffer.
        typeRoots: [path.join(projectRoot, 'node_modules/@types')],
        types: ['node'],
      },
      files: ['verify.ts'],
    }),
  );
  await writeFile(
    path.join(consumer, 'verify.ts'),
    `import { verifyHeapHash, type VerifyResult } from '${PACKAGE}';
const result: VerifyResult = verifyHeapHash({ rawBody: '{}', header: undefined, secrets: ['s'], now: 0 });
export const code: string = result.ok ? 'ok' : result.code;
// @ts-expect-error secrets is a list of strings
verifyHeapHash({ rawBody: '{}', header: undefined, secrets: 's', now: 0 });
`,
  );
  const tsc = path.join(projectRoot, 'node_modules/typescript/bin/tsc');
  const typecheck = await run(process.execPath, [tsc, '-p', consumer], { cwd: consumer }).then(
    () => '',
    (error: { stdout?: string }) => error.stdout ?? 'tsc failed',
  );
  t.is(typecheck, '');
});
