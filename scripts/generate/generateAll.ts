// Runs every generation target and returns the files they produce, without touching the disk.
import { generateClient, javaUnavailableReason } from './javaClient.ts';
import { generateTypes } from './openapiTypes.ts';
import { clientTargets, typesTargets } from './targets.ts';

export interface GenerationResult {
  /** Every generated file, keyed by path relative to generated/. */
  files: Map<string, string>;
  /** Folders (relative to generated/) that could not be regenerated, so must be left as they are. */
  skippedDirs: string[];
  /** Why something was skipped, one sentence per cause. */
  warnings: string[];
}

export async function generateAll(
  specDir: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<GenerationResult> {
  const files = new Map<string, string>();
  const skippedDirs: string[] = [];
  const warnings: string[] = [];
  const outputs = await Promise.all(typesTargets.map((target) => generateTypes(specDir, target)));
  const javaProblem = clientTargets.length > 0 ? javaUnavailableReason(env) : null;
  if (javaProblem) {
    warnings.push(javaProblem);
    skippedDirs.push(...clientTargets.map((target) => target.outputDir));
  } else {
    for (const target of clientTargets) outputs.push(await generateClient(specDir, target, env));
  }
  for (const output of outputs) for (const [file, contents] of output) files.set(file, contents);
  return { files, skippedDirs, warnings };
}
