// Where this project's files are: its code (TypeScript sources, or compiled JavaScript under dist/)
// and the package itself (package.json, spec/*.yaml), wherever it was cloned or installed.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

/** True when this code runs as compiled JavaScript (the installed package), not through tsx. */
export const runningCompiled = import.meta.url.endsWith('.js');

/**
 * The folder holding the code's spec/, server/, conformance/, support/ and scripts/: the checkout
 * when run from source, `dist/` when compiled.
 */
export const projectRoot = path.resolve(here, '../..');

/** The folder holding package.json (and the spec YAML): the checkout, or the installed package. */
export const packageRoot = nearestPackageRoot(here);

function nearestPackageRoot(start: string): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) return projectRoot;
  }
}

/**
 * The file to run for an entry point named by its TypeScript source: the source itself, or the
 * compiled `.js` beside it when running compiled, since the installed package has no .ts and no tsx.
 */
export function runnableEntry(entry: string): string {
  return runningCompiled && entry.endsWith('.ts') ? entry.slice(0, -'.ts'.length) + '.js' : entry;
}
