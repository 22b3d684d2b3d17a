// `npm run generate`: derives generated/ from spec/; `--check` fails when the committed output is stale.
import path from 'node:path';
import { parseCliArgs } from '../support/src/cliArgs.ts';
import { generateAll } from './generate/generateAll.ts';
import { compareTrees, describeDrift, readTree, writeTree } from './generate/generatedTree.ts';
import { generatedDir, specDir } from './generate/targets.ts';

const usage = `Usage: npm run generate [-- --check] [--spec-dir DIR] [--generated-dir DIR]

  --check              compare generated/ with what the specs produce; exit 1 when stale
  --spec-dir DIR       where the specs are (default: spec/)
  --generated-dir DIR  where the output goes (default: generated/)`;

async function main(): Promise<number> {
  let values;
  try {
    ({ values } = parseCliArgs(
      {
        args: process.argv.slice(2),
        options: {
          check: { type: 'boolean', default: false },
          'spec-dir': { type: 'string', default: specDir },
          'generated-dir': { type: 'string', default: generatedDir },
          help: { type: 'boolean', short: 'h', default: false },
        },
      },
      { command: 'npm run generate --', env: process.env },
    ));
  } catch (error) {
    console.error(`generate: ${(error as Error).message}\n\n${usage}`);
    return 2;
  }
  if (values.help) {
    console.log(usage);
    return 0;
  }
  const started = performance.now();
  const outDir = path.resolve(values['generated-dir']);
  const result = await generateAll(path.resolve(values['spec-dir']));
  for (const warning of result.warnings) console.warn(`generate: warning: ${warning}`);
  const elapsed = `${((performance.now() - started) / 1000).toFixed(1)} s`;

  if (values.check) {
    const drifts = compareTrees(await readTree(outDir), result.files, result.skippedDirs);
    if (drifts.length > 0) {
      console.error(`generate --check: ${drifts.length} generated file(s) do not match spec/:`);
      for (const drift of drifts) console.error(`  ${describeDrift(drift)}`);
      console.error('Run `npm run generate` and commit the result with the spec change.');
      return 1;
    }
    console.log(`generate --check: ${result.files.size} files match spec/ (${elapsed})`);
    return 0;
  }
  const { written, removed } = await writeTree(outDir, result.files, result.skippedDirs);
  console.log(
    `generate: ${result.files.size} files from spec/, ${written} written, ${removed} removed (${elapsed})`,
  );
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`generate: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
