// `npm install` leaves package-lock.json as committed: the lockfile agrees with package.json.
import test from 'ava';
import { execFile } from 'node:child_process';
import { copyFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { projectRoot } from '../../support/src/projectRoot.ts';

test('npm install rewrites nothing in package-lock.json', async (t) => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'lockfile-'));
  try {
    for (const file of ['package.json', 'package-lock.json']) {
      await copyFile(path.join(projectRoot, file), path.join(dir, file));
    }
    // Lockfile only: what npm install would write, without installing or fetching anything.
    await promisify(execFile)(
      'npm',
      [
        'install',
        '--package-lock-only',
        '--offline',
        '--ignore-scripts',
        '--no-audit',
        '--no-fund',
      ],
      { cwd: dir, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' } },
    );
    const [before, after] = await Promise.all([
      readFile(path.join(projectRoot, 'package-lock.json'), 'utf8'),
      readFile(path.join(dir, 'package-lock.json'), 'utf8'),
    ]);
    t.true(
      before === after,
      'npm install changed package-lock.json: run npm install and commit it',
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
