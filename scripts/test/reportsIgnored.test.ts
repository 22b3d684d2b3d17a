// Reports a conformance run writes in the checkout, under the names the docs use, are never committed.
import test from 'ava';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { projectRoot } from '../../support/src/projectRoot.ts';

const names = [
  'report.json',
  'report.xml',
  'report.html',
  'conformance-report.json',
  'conformance-report.html',
  'reports/report.html',
];

for (const name of names) {
  test(`${name} is git-ignored`, async (t) => {
    // git check-ignore exits 0 when the path is ignored, 1 when it is not.
    const { stdout } = await promisify(execFile)('git', ['check-ignore', '--no-index', name], {
      cwd: projectRoot,
    }).catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? '' }));
    t.is(stdout.trim(), name);
  });
}
