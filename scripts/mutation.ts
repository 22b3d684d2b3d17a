// `npm run mutation`: measures the conformance suite by the mutants of the reference server it
// kills (Stryker), and checks the survivors against the committed list of those out of reach.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { projectRoot } from '../support/src/projectRoot.ts';
import { parseMutationArgs, usage } from './mutation/mutationFlags.ts';
import { scoreLine, scoreMutants, type OutOfReachEntry } from './mutation/mutationScore.ts';

const mutationDir = path.join(projectRoot, 'scripts/mutation');

async function main(): Promise<number> {
  const parsed = parseMutationArgs(process.argv.slice(2));
  if (parsed.kind === 'help') {
    console.log(usage);
    return 0;
  }
  if (parsed.kind === 'error') {
    console.error(`mutation: ${parsed.message} (see --help)`);
    return 2;
  }
  const { files, concurrency } = parsed.options;
  const config = JSON.parse(
    await readFile(path.join(mutationDir, 'stryker.config.json'), 'utf8'),
  ) as Record<string, unknown>;
  delete config.$schema;
  delete config._comment;
  const list = JSON.parse(
    await readFile(path.join(mutationDir, 'outOfReach.json'), 'utf8'),
  ) as OutOfReachEntry[];

  // Loaded only now: Stryker takes seconds to load, and --help or a bad flag need none of it.
  const { Stryker } = await import('@stryker-mutator/core');
  process.chdir(projectRoot);
  const started = performance.now();
  const stryker = new Stryker({
    ...config,
    ...(files ? { mutate: files } : {}),
    concurrency,
    appendPlugins: [path.join(mutationDir, 'ignoreMessageText.mjs')],
  });
  const mutants = await stryker.runMutationTest();
  const minutes = ((performance.now() - started) / 60_000).toFixed(1);

  // With --files, only the entries of the files mutated can be checked.
  const mutatedFiles = new Set(mutants.map((m) => path.relative(projectRoot, m.fileName)));
  const score = scoreMutants(
    mutants,
    list.filter((entry) => mutatedFiles.has(entry.file)),
    projectRoot,
  );
  console.log(
    `\n${score.total} mutants in ${minutes} min: ${score.killed} killed, ${score.survived} survived, ` +
      `${score.timedOut} timed out; ${score.nonStringPercent.toFixed(1)}% of the non-string ` +
      'mutants killed. Report: reports/mutation/mutation.json',
  );
  if (score.listedButKilled.length > 0) {
    console.log(
      '\nListed as out of reach but killed (remove from scripts/mutation/outOfReach.json):',
    );
    for (const entry of score.listedButKilled) console.log(`  ${JSON.stringify(entry)}`);
  }
  if (score.listedButAbsent.length > 0) {
    console.log(
      '\nListed as out of reach but no such mutant ran (the code moved: refresh the entry):',
    );
    for (const entry of score.listedButAbsent) console.log(`  ${JSON.stringify(entry)}`);
  }
  if (score.unlisted.length > 0) {
    console.log(
      '\nSurvivors not listed: kill each with a case, or add its entry to ' +
        'scripts/mutation/outOfReach.json with a reason:',
    );
    for (const entry of score.unlisted) console.log(`  ${JSON.stringify(entry)},`);
  }
  if (!score.targetsMet) console.log(`\nTargets missed: ${score.missedTargets.join('; ')}.`);
  console.log(scoreLine(score));
  return score.targetsMet ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`mutation: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(2);
  },
);
