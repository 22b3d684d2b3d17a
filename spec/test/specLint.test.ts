// Both specs pass Redocly's linter with no errors and no warnings; a broken spec does not.
import test from 'ava';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { specFiles } from '../src/specFiles.ts';

const run = promisify(execFile);

interface LintReport {
  totals: { errors: number; warnings: number };
  problems: { message: string }[];
}

async function lint(file: string): Promise<LintReport> {
  try {
    const { stdout } = await run('npx', ['redocly', 'lint', file, '--format=json'], {
      env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
    });
    return JSON.parse(stdout) as LintReport;
  } catch (error) {
    const stdout = (error as { stdout?: string }).stdout ?? '';
    return JSON.parse(stdout) as LintReport;
  }
}

for (const [name, file] of Object.entries(specFiles)) {
  test(`${name} spec lints clean`, async (t) => {
    const report = await lint(file);
    t.deepEqual(
      report.problems.map((problem) => problem.message),
      [],
    );
    t.is(report.totals.errors, 0);
  });
}

test('the linter reports a spec that breaks the rules', async (t) => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'spec-lint-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const broken = path.join(dir, 'broken.yaml');
  await writeFile(broken, 'openapi: 3.0.3\npaths:\n  /x:\n    get:\n      responses: {}\n');
  const report = await lint(broken);
  t.true(report.totals.errors > 0);
});
