// Parses `npm run mutation` flags.
import { parseCliArgs, unexpectedArgument } from '../../support/src/cliArgs.ts';
import { wholeNumberFlag } from '../../support/src/flagParsers.ts';

export const usage = `Usage: npm run mutation -- [--files GLOB,...] [--concurrency N]

Mutates the webhook path (server/src/webhook/), the SQLite store (server/src/store/) and the
signature rule (spec/src/heapHash.ts), and runs the conformance suite against the reference server
with each mutant, in two configurations (Stryker's command runner). Prints killed / survived / timed out, leaves Stryker's
JSON report at reports/mutation/mutation.json, and checks the survivors against
scripts/mutation/outOfReach.json. Takes long: tens of minutes on two cores.

Options:
  --files GLOB,...   mutate only these files (globs from the project root), e.g.
                     --files spec/src/heapHash.ts
  --concurrency N    mutants run at once (default 2)
  -h, --help         this help

Exit status: 0 when the score targets hold (score >= 90%, at most 15% of the mutants listed as out
of reach, at least 80% of the non-string mutants killed), 1 when they do not, 2 for a bad flag.
See docs/mutation-testing.md.`;

export interface MutationOptions {
  /** Null: the configured files. */
  files: string[] | null;
  concurrency: number;
}

export type ParsedMutationArgs =
  { kind: 'run'; options: MutationOptions } | { kind: 'help' } | { kind: 'error'; message: string };

const MUTATION_FLAGS = {
  files: { type: 'string' },
  concurrency: { type: 'string' },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

export function parseMutationArgs(argv: string[]): ParsedMutationArgs {
  try {
    const context = { command: 'npm run mutation --', env: process.env };
    const { values, positionals } = parseCliArgs(
      { args: argv, allowPositionals: true, options: MUTATION_FLAGS },
      context,
    );
    if (values.help) return { kind: 'help' };
    if (positionals.length > 0) {
      throw new Error(
        unexpectedArgument(positionals[0]!, argv, Object.keys(MUTATION_FLAGS), context),
      );
    }
    const files =
      values.files === undefined
        ? null
        : values.files
            .split(',')
            .map((file) => file.trim())
            .filter(Boolean);
    if (files && files.length === 0) throw new Error('--files needs at least one file or glob');
    return {
      kind: 'run',
      options: {
        files,
        concurrency: wholeNumberFlag('concurrency', values.concurrency, 2, { min: 1, max: 64 }),
      },
    };
  } catch (error) {
    return { kind: 'error', message: (error as Error).message };
  }
}
