// `npm run build`: compiles the shipped code to JavaScript in dist/, so the installed package runs
// on Node alone (no tsx, no TypeScript), with declarations for the library entry.
import { spawnSync } from 'node:child_process';
import { chmod, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { projectRoot } from '../support/src/projectRoot.ts';
import { rewriteRelativeSpecifiers } from './build/relativeSpecifiers.ts';

const require = createRequire(import.meta.url);
const outDir = path.join(projectRoot, 'dist');

await rm(outDir, { recursive: true, force: true });
const tsc = spawnSync(
  process.execPath,
  [require.resolve('typescript/bin/tsc'), '-p', path.join(projectRoot, 'tsconfig.build.json')],
  { stdio: 'inherit' },
);
if (tsc.status !== 0) {
  console.error('build: tsc failed');
  process.exit(1);
}
await rewriteRelativeSpecifiers(outDir);
await chmod(path.join(outDir, 'scripts/cli/heapSync.js'), 0o755);
console.log(`build: compiled to ${path.relative(process.cwd(), outDir) || '.'}`);
