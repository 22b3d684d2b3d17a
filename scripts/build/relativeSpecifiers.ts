// Makes every relative import in compiled output name a file Node can load: `.ts` becomes `.js`, and
// an extensionless path (as the generated client writes them) gets `.js` or `/index.js`.
import { existsSync, statSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

// `from '...'`, `import '...'` and `import('...')` with a relative specifier.
const RELATIVE_SPECIFIER = /(\bfrom\s*|\bimport\s*\(?\s*)(['"])(\.{1,2}\/[^'"]*)\2/g;

/** The specifier as Node must see it, given the folder of the file importing it. */
export function loadableSpecifier(specifier: string, fromDir: string): string {
  if (specifier.endsWith('.ts')) return specifier.slice(0, -'.ts'.length) + '.js';
  if (/\.(m?js|json)$/.test(specifier)) return specifier;
  const target = path.resolve(fromDir, specifier);
  if (existsSync(target) && statSync(target).isDirectory()) return `${specifier}/index.js`;
  return `${specifier}.js`;
}

async function compiledFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((entry) => entry.isFile() && /\.(js|d\.ts)$/.test(entry.name))
    .map((entry) => path.join(entry.parentPath, entry.name));
}

/** Rewrites the compiled files under `dir` in place; returns how many changed. */
export async function rewriteRelativeSpecifiers(dir: string): Promise<number> {
  let changed = 0;
  for (const file of await compiledFiles(dir)) {
    const source = await readFile(file, 'utf8');
    const rewritten = source.replace(
      RELATIVE_SPECIFIER,
      (_match, lead: string, quote: string, specifier: string) =>
        `${lead}${quote}${loadableSpecifier(specifier, path.dirname(file))}${quote}`,
    );
    if (rewritten !== source) {
      await writeFile(file, rewritten);
      changed += 1;
    }
  }
  return changed;
}
