// Generates TypeScript types for a spec with openapi-typescript.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import openapiTS, { astToString } from 'openapi-typescript';
import { formatTypeScript } from './formatSource.ts';
import { generatedStamp, type TypesTarget } from './targets.ts';

/** Returns the formatted types file for `target`, as `{ relative path: contents }`. */
export async function generateTypes(
  specDir: string,
  target: TypesTarget,
): Promise<Map<string, string>> {
  const ast = await openapiTS(pathToFileURL(path.join(specDir, target.spec)), {
    alphabetize: false,
    exportType: false,
  });
  const source = generatedStamp(target.spec) + astToString(ast);
  return new Map([[target.output, await formatTypeScript(source)]]);
}
