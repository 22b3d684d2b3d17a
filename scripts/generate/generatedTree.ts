// Reads, compares and writes the tree of generated files under generated/.
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** Files that live in generated/ but are not generated (none are edited by hand). */
const isOwnedByGenerator = (file: string): boolean => !file.startsWith('test/');

export async function readTree(dir: string, prefix = ''): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  let entries;
  try {
    entries = await readdir(path.join(dir, prefix), { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return files;
    throw error;
  }
  for (const entry of entries) {
    const relative = path.posix.join(prefix, entry.name);
    if (entry.isDirectory()) {
      for (const [file, contents] of await readTree(dir, relative)) files.set(file, contents);
    } else if (isOwnedByGenerator(relative)) {
      files.set(relative, await readFile(path.join(dir, relative), 'utf8'));
    }
  }
  return files;
}

const isUnder = (file: string, dirs: readonly string[]): boolean =>
  dirs.some((dir) => file === dir || file.startsWith(`${dir}/`));

export interface Drift {
  file: string;
  kind: 'missing' | 'stale' | 'unexpected';
  /** For a stale file: the first line that differs, 1-based. */
  line?: number;
  committed?: string;
  expected?: string;
}

/** Compares committed files with freshly generated ones, ignoring folders that were not regenerated. */
export function compareTrees(
  committed: Map<string, string>,
  expected: Map<string, string>,
  skippedDirs: readonly string[],
): Drift[] {
  const drifts: Drift[] = [];
  for (const [file, contents] of expected) {
    const actual = committed.get(file);
    if (actual === undefined) {
      drifts.push({ file, kind: 'missing' });
    } else if (actual !== contents) {
      const actualLines = actual.split('\n');
      const expectedLines = contents.split('\n');
      let index = 0;
      while (actualLines[index] === expectedLines[index]) index++;
      drifts.push({
        file,
        kind: 'stale',
        line: index + 1,
        committed: actualLines[index] ?? '<end of file>',
        expected: expectedLines[index] ?? '<end of file>',
      });
    }
  }
  for (const file of committed.keys()) {
    if (!expected.has(file) && !isUnder(file, skippedDirs))
      drifts.push({ file, kind: 'unexpected' });
  }
  return drifts.sort((a, b) => a.file.localeCompare(b.file));
}

export function describeDrift(drift: Drift): string {
  const where = `generated/${drift.file}`;
  switch (drift.kind) {
    case 'missing':
      return `${where}: missing (the spec produces it, but it is not committed)`;
    case 'unexpected':
      return `${where}: not produced by the spec any more`;
    case 'stale':
      return (
        `${where}: differs from the spec's output at line ${drift.line}\n` +
        `    committed: ${drift.committed}\n    expected:  ${drift.expected}`
      );
  }
}

/** Makes `dir` hold exactly `files`, leaving skipped folders untouched. */
export async function writeTree(
  dir: string,
  files: Map<string, string>,
  skippedDirs: readonly string[],
): Promise<{ written: number; removed: number }> {
  const committed = await readTree(dir);
  let written = 0;
  let removed = 0;
  for (const file of committed.keys()) {
    if (!files.has(file) && !isUnder(file, skippedDirs)) {
      await rm(path.join(dir, file));
      removed++;
    }
  }
  for (const [file, contents] of files) {
    if (committed.get(file) === contents) continue;
    await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
    await writeFile(path.join(dir, file), contents);
    written++;
  }
  return { written, removed };
}
