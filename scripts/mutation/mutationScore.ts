// The score of a mutation run: killed, survived and timed out; survivors checked against the
// committed list of those out of reach; P = K / (N - E) and the targets it must meet.
import path from 'node:path';

/** What the score needs of one of Stryker's mutant results. */
export interface ScoredMutant {
  /** Absolute, or relative to the project root. */
  fileName: string;
  mutatorName: string;
  replacement: string;
  location: { start: { line: number; column: number }; end: { line: number; column: number } };
  status: string;
}

/** A survivor the suite cannot kill, with why: scripts/mutation/outOfReach.json. */
export interface OutOfReachEntry {
  file: string;
  line: number;
  /** Where on the line the mutant starts: mutants of one kind may share a line. */
  column: number;
  /** Where it ends: mutants of one kind may start at one place (an `if` and its first operand). */
  endLine: number;
  endColumn: number;
  mutator: string;
  replacement: string;
  reason: string;
}

export interface MutationScore {
  /** Mutants that ran: killed, survived, timed out or not covered. */
  total: number;
  killed: number;
  survived: number;
  timedOut: number;
  /** Survivors listed as out of reach (E). */
  outOfReach: number;
  /** K / (N - E), in percent; K counts killed and timed-out mutants (Stryker counts both as detected). */
  percent: number;
  /** Killed or timed out among mutants that are not string literals, in percent, nothing excluded. */
  nonStringPercent: number;
  /** Survivors not in the list: the entries to add, each with an empty reason to fill in. */
  unlisted: OutOfReachEntry[];
  /** Listed entries this run killed: to remove from the list. */
  listedButKilled: OutOfReachEntry[];
  /** Listed entries that match no mutant of the run (the code moved or changed): to refresh. */
  listedButAbsent: OutOfReachEntry[];
  /** Whether P >= 90 %, E <= 15 % of N and the non-string kill rate >= 80 %. */
  targetsMet: boolean;
  /** The targets missed, one phrase each. */
  missedTargets: string[];
}

export const TARGETS = { percent: 90, outOfReachShare: 15, nonStringPercent: 80 } as const;

const RAN = new Set(['Killed', 'Survived', 'Timeout', 'NoCoverage']);
const DETECTED = new Set(['Killed', 'Timeout']);

/** The entry that would list this mutant as out of reach. */
export function entryFor(mutant: ScoredMutant, root: string): OutOfReachEntry {
  const file = path.isAbsolute(mutant.fileName)
    ? path.relative(root, mutant.fileName)
    : mutant.fileName;
  return {
    file: file.split(path.sep).join('/'),
    line: mutant.location.start.line,
    column: mutant.location.start.column,
    endLine: mutant.location.end.line,
    endColumn: mutant.location.end.column,
    mutator: mutant.mutatorName,
    replacement: mutant.replacement,
    reason: '',
  };
}

const sameMutant = (a: OutOfReachEntry, b: OutOfReachEntry) =>
  a.file === b.file &&
  a.line === b.line &&
  a.column === b.column &&
  a.endLine === b.endLine &&
  a.endColumn === b.endColumn &&
  a.mutator === b.mutator &&
  a.replacement === b.replacement;

const percentOf = (part: number, whole: number) => (whole === 0 ? 100 : (100 * part) / whole);

export function scoreMutants(
  mutants: readonly ScoredMutant[],
  list: readonly OutOfReachEntry[],
  root: string,
): MutationScore {
  const ran = mutants.filter((mutant) => RAN.has(mutant.status));
  const count = (status: string) => ran.filter((mutant) => mutant.status === status).length;
  const detected = ran.filter((mutant) => DETECTED.has(mutant.status));
  const survivors = ran
    .filter((mutant) => !DETECTED.has(mutant.status))
    .map((m) => entryFor(m, root));
  const unlisted = survivors.filter((entry) => !list.some((item) => sameMutant(item, entry)));
  const listedSurvivors = survivors.length - unlisted.length;
  const killedEntries = detected.map((mutant) => entryFor(mutant, root));
  const listedButKilled = list.filter((item) =>
    killedEntries.some((entry) => sameMutant(item, entry)),
  );
  const listedButAbsent = list.filter(
    (item) =>
      !survivors.some((entry) => sameMutant(item, entry)) &&
      !killedEntries.some((entry) => sameMutant(item, entry)),
  );
  const nonString = ran.filter((mutant) => mutant.mutatorName !== 'StringLiteral');
  const nonStringDetected = nonString.filter((mutant) => DETECTED.has(mutant.status)).length;

  const percent = percentOf(detected.length, ran.length - listedSurvivors);
  const nonStringPercent = percentOf(nonStringDetected, nonString.length);
  const missedTargets: string[] = [];
  if (percent < TARGETS.percent) missedTargets.push(`score below ${TARGETS.percent}%`);
  if (listedSurvivors > (TARGETS.outOfReachShare / 100) * ran.length) {
    missedTargets.push(
      `more than ${TARGETS.outOfReachShare}% of the mutants listed as out of reach`,
    );
  }
  if (nonStringPercent < TARGETS.nonStringPercent) {
    missedTargets.push(`fewer than ${TARGETS.nonStringPercent}% of the non-string mutants killed`);
  }
  return {
    total: ran.length,
    killed: count('Killed'),
    survived: count('Survived') + count('NoCoverage'),
    timedOut: count('Timeout'),
    outOfReach: listedSurvivors,
    percent,
    nonStringPercent,
    unlisted,
    listedButKilled,
    listedButAbsent,
    targetsMet: missedTargets.length === 0,
    missedTargets,
  };
}

/** The summary's last line. */
export function scoreLine(score: MutationScore): string {
  return (
    `mutation score: ${score.percent.toFixed(1)}% (${score.killed + score.timedOut} killed of ` +
    `${score.total}; ${score.outOfReach} listed as out of reach)`
  );
}
