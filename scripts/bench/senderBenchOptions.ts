// The flags of `npm run bench -- sender`: the size of the memory run, shorter runs, and --help.
import { parseCliArgs } from '../../support/src/cliArgs.ts';
import { commandLine } from '../../support/src/commandLine.ts';
import { wholeNumberFlag } from '../../support/src/flagParsers.ts';

export interface SenderBenchOptions {
  /** Users of the memory run. */
  users: number;
  quick: boolean;
}

export type ParsedSenderBenchArgs =
  | { kind: 'run'; options: SenderBenchOptions }
  | { kind: 'help' }
  | { kind: 'error'; message: string };

/** `--users N` (the memory run, default 10000000), `--quick` (shorter runs), `--help`. */
export function parseSenderBenchArgs(args: string[]): ParsedSenderBenchArgs {
  try {
    const { values } = parseCliArgs(
      {
        args,
        options: {
          users: { type: 'string' },
          quick: { type: 'boolean', default: false },
          help: { type: 'boolean', short: 'h', default: false },
        },
      },
      { command: `${commandLine('bench')} sender`, env: process.env },
    );
    if (values.help) return { kind: 'help' };
    return {
      kind: 'run',
      options: {
        users: wholeNumberFlag('users', values.users, 10_000_000, { min: 10_000, max: 10_000_000 }),
        quick: values.quick ?? false,
      },
    };
  } catch (error) {
    return { kind: 'error', message: (error as Error).message };
  }
}
