// Formats generated TypeScript with the project's Prettier settings, so output is stable.
import path from 'node:path';
import prettier from 'prettier';
import { projectRoot } from '../../support/src/projectRoot.ts';

let options: prettier.Options | null = null;

export async function formatTypeScript(source: string): Promise<string> {
  options ??= { ...((await prettier.resolveConfig(path.join(projectRoot, 'package.json'))) ?? {}) };
  return prettier.format(source, { ...options, parser: 'typescript' });
}
