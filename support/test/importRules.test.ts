// The import rules of .dependency-cruiser.cjs, run on a small tree made to break each of them once:
// every broken rule is reported, and the imports the data path allows are not.
import test from 'ava';
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { projectRoot } from '../src/projectRoot.ts';

const run = promisify(execFile);

/** Files of the made-up tree: path -> the paths it imports (relative to the tree). */
const tree: Record<string, string[]> = {
  'generated/types.ts': [],
  'support/src/flags.ts': [],
  'support/testing/helper.ts': ['support/src/flags.ts'],
  'spec/src/contract.ts': ['generated/types.ts'],
  'spec/src/leaksUp.ts': ['server/src/index.ts'],
  'spec/src/cycleA.ts': ['spec/src/cycleB.ts'],
  'spec/src/cycleB.ts': ['spec/src/cycleA.ts'],
  'server/src/index.ts': ['spec/src/contract.ts', 'support/src/flags.ts'],
  'server/src/internal.ts': ['server/src/index.ts'],
  'server/src/usesSuite.ts': ['conformance/src/suite.ts'],
  'server/test/helper.ts': ['server/src/internal.ts'],
  'conformance/src/suite.ts': ['server/src/index.ts', 'spec/src/contract.ts'],
  'conformance/src/reachesIn.ts': ['server/src/internal.ts'],
  'conformance/src/usesScripts.ts': ['scripts/tool.ts'],
  'conformance/src/usesTestingHelper.ts': ['support/testing/helper.ts'],
  'conformance/test/borrowsHelper.test.ts': ['server/test/helper.ts', 'support/testing/helper.ts'],
  'scripts/tool.ts': ['server/src/internal.ts', 'conformance/src/suite.ts'],
};

const expected = [
  'conformance-uses-server-entry-only: conformance/src/reachesIn.ts -> server/src/internal.ts',
  'conformance-uses-server-entry-only: conformance/test/borrowsHelper.test.ts -> server/test/helper.ts',
  'no-cycles: spec/src/cycleA.ts -> spec/src/cycleB.ts',
  'nothing-imports-scripts: conformance/src/usesScripts.ts -> scripts/tool.ts',
  'server-does-not-use-conformance: server/src/usesSuite.ts -> conformance/src/suite.ts',
  'spec-stands-on-generated-only: spec/src/leaksUp.ts -> server/src/index.ts',
  'testing-helpers-stay-in-tests: conformance/src/usesTestingHelper.ts -> support/testing/helper.ts',
  'tests-keep-to-their-room: conformance/test/borrowsHelper.test.ts -> server/test/helper.ts',
];

test('each import rule reports the import that breaks it, and only those', async (t) => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'import-rules-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  for (const [file, imports] of Object.entries(tree)) {
    await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
    const lines = imports.map((target) => {
      const relative = path.relative(path.dirname(file), target);
      return `import '${relative.startsWith('.') ? relative : `./${relative}`}';`;
    });
    await writeFile(path.join(dir, file), `${lines.join('\n')}\nexport {};\n`);
  }
  await writeFile(
    path.join(dir, 'tsconfig.json'),
    JSON.stringify({ compilerOptions: { allowImportingTsExtensions: true, noEmit: true } }),
  );
  const depcruise = path.join(projectRoot, 'node_modules/.bin/depcruise');
  const rooms = ['spec', 'generated', 'support', 'server', 'conformance', 'scripts'];
  const config = path.join(projectRoot, '.dependency-cruiser.cjs');
  const outcome = await run(depcruise, [...rooms, '--config', config, '--output-type', 'json'], {
    cwd: dir,
    maxBuffer: 16 * 1024 * 1024,
  }).catch((error: { stdout: string; code: number }) => error);
  const report = JSON.parse(outcome.stdout) as {
    summary: { violations: { rule: { name: string }; from: string; to: string }[] };
  };
  const found = [
    ...new Set(
      report.summary.violations.map(({ rule, from, to }) => `${rule.name}: ${from} -> ${to}`),
    ),
  ].sort();
  t.deepEqual(found, expected);
  // As `npm run lint:imports` runs it: the violations make the command fail.
  const lint = await run(depcruise, [...rooms, '--config', config], { cwd: dir }).then(
    () => ({ code: 0, stdout: '' }),
    (error: { code: number; stdout: string }) => error,
  );
  t.not(lint.code, 0);
  t.regex(lint.stdout, /nothing-imports-scripts: conformance\/src\/usesScripts\.ts/);
});
