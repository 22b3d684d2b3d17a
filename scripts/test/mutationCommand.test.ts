// `npm run mutation`: its flags (help, bad flags in one line with exit 2) and its score, from
// mutant results to the line it ends with and the entries it asks to add to the out-of-reach list.
import test from 'ava';
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { projectRoot } from '../../support/src/projectRoot.ts';
import { runCli } from '../../support/testing/runCli.ts';
import {
  scoreLine,
  scoreMutants,
  type OutOfReachEntry,
  type ScoredMutant,
} from '../mutation/mutationScore.ts';

test('npm run mutation -- --help prints its usage and starts no mutation run', async (t) => {
  const outcome = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(
      'npm',
      ['run', '-s', 'mutation', '--', '--help'],
      { cwd: projectRoot, timeout: 120_000 },
      (error, stdout, stderr) =>
        resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
  t.is(outcome.code, 0, outcome.stderr);
  t.regex(
    outcome.stdout,
    /^Usage: npm run mutation -- \[--files GLOB,\.\.\.\] \[--concurrency N\]/,
  );
  t.regex(outcome.stdout, /reports\/mutation\/mutation\.json/);
});

test("a mutant's test passes the unmutated reference server in both configurations", async (t) => {
  const outcome = await runCli('scripts/mutation/mutantSuite.ts', [], { timeoutMs: 300_000 });
  t.is(outcome.code, 0, outcome.stdout + outcome.stderr);
  const verdicts = outcome.stdout.match(/^PASS: \d+ passed, 0 failed, 0 warnings/gm) ?? [];
  t.is(verdicts.length, 2, outcome.stdout);
  t.regex(outcome.stdout, /\(the reference server, started for this run\)/);
  // The second configuration refuses accounts nobody connected, and the suite checks it does.
  for (const kind of ['sync', 'drain']) {
    const passed = new RegExp(`✓ ${kind}\\.unknown-account-refused `, 'g');
    t.is(outcome.stdout.match(passed)?.length, 1, outcome.stdout);
  }
});

for (const [args, said] of [
  [['--no-such-flag'], /no-such-flag/],
  [['--concurrency', '0'], /--concurrency must be a whole number from 1 to 64/],
  [['--concurrency', 'two'], /--concurrency must be a whole number/],
  [['--files', ' , '], /--files needs at least one file/],
  [['stray'], /unexpected argument "stray"/],
] as const) {
  test(`npm run mutation -- ${args.join(' ')} is one line and exit 2`, async (t) => {
    const outcome = await runCli('scripts/mutation.ts', [...args]);
    t.is(outcome.code, 2);
    t.is(outcome.stderr.trim().split('\n').length, 1, outcome.stderr);
    t.regex(outcome.stderr, said);
    t.is(outcome.stdout, '');
  });
}

const mutant = (
  status: string,
  line: number,
  mutatorName = 'ConditionalExpression',
  replacement = 'false',
): ScoredMutant => ({
  fileName: path.join(projectRoot, 'spec/src/heapHash.ts'),
  mutatorName,
  replacement,
  location: { start: { line, column: 3 }, end: { line, column: 20 } },
  status,
});

const listed = (
  line: number,
  mutator = 'ConditionalExpression',
  column = 3,
  endColumn = 20,
): OutOfReachEntry => ({
  file: 'spec/src/heapHash.ts',
  line,
  column,
  endLine: line,
  endColumn,
  mutator,
  replacement: 'false',
  reason: 'equivalent',
});

test('the score is K / (N - E), timeouts count as killed, and ignored mutants do not count', (t) => {
  const mutants = [
    ...Array.from({ length: 17 }, (_, i) => mutant('Killed', i + 1)),
    mutant('Timeout', 50),
    mutant('Survived', 60),
    mutant('Survived', 61),
    mutant('Ignored', 70),
    mutant('CompileError', 71),
  ];
  const score = scoreMutants(mutants, [listed(60)], projectRoot);
  t.like(score, { total: 20, killed: 17, timedOut: 1, survived: 2, outOfReach: 1 });
  t.is(score.percent.toFixed(6), ((18 / 19) * 100).toFixed(6));
  t.true(score.targetsMet);
  t.is(scoreLine(score), 'mutation score: 94.7% (18 killed of 20; 1 listed as out of reach)');
  // The survivor not listed is printed as the entry to add, its reason left to fill in.
  t.deepEqual(score.unlisted, [{ ...listed(61), reason: '' }]);
});

test('a listed mutant that was killed is reported, and missed targets are named', (t) => {
  const mutants = [
    mutant('Killed', 1),
    mutant('Survived', 2, 'StringLiteral', '""'),
    mutant('Survived', 3),
  ];
  const score = scoreMutants(mutants, [listed(1)], projectRoot);
  t.deepEqual(score.listedButKilled, [listed(1)]);
  t.false(score.targetsMet);
  t.deepEqual(score.missedTargets, [
    'score below 90%',
    'fewer than 80% of the non-string mutants killed',
  ]);
  t.is(score.nonStringPercent, 50);
});

test('mutants of one kind on one line are told apart by where they start and end; a stale entry is reported', (t) => {
  const at = (status: string, column: number, endColumn: number): ScoredMutant => ({
    ...mutant(status, 5),
    location: { start: { line: 5, column }, end: { line: 5, column: endColumn } },
  });
  // An `if` condition and its first operand start at one column.
  const mutants = [at('Killed', 7, 40), at('Survived', 7, 22), at('Survived', 31, 40)];
  const score = scoreMutants(
    mutants,
    [listed(5, undefined, 7, 22), listed(5, undefined, 31, 40), listed(9)],
    projectRoot,
  );
  t.is(score.outOfReach, 2);
  t.deepEqual(score.listedButKilled, []);
  t.deepEqual(score.listedButAbsent, [listed(9)]);
  t.deepEqual(score.unlisted, []);
});

test('too many exclusions miss a target even when the score holds', (t) => {
  const mutants = [
    ...Array.from({ length: 8 }, (_, i) => mutant('Killed', i + 1)),
    mutant('Survived', 20),
    mutant('Survived', 21),
  ];
  const score = scoreMutants(mutants, [listed(20), listed(21)], projectRoot);
  t.is(score.percent, 100);
  t.deepEqual(score.missedTargets, ['more than 15% of the mutants listed as out of reach']);
});

test('every committed out-of-reach entry names its mutant and gives a reason', async (t) => {
  const list = JSON.parse(
    await readFile(path.join(projectRoot, 'scripts/mutation/outOfReach.json'), 'utf8'),
  ) as OutOfReachEntry[];
  t.true(Array.isArray(list));
  for (const entry of list) {
    t.truthy(entry.file && entry.mutator && entry.replacement !== undefined && entry.line > 0);
    t.true(
      [entry.column, entry.endLine, entry.endColumn].every(Number.isInteger),
      JSON.stringify(entry),
    );
    t.true(entry.reason.trim().length > 10, JSON.stringify(entry));
  }
});
