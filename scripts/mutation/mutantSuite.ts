// The test of one mutant (Stryker's command runner runs it in its sandbox, with the mutant switched
// on in every process it starts): the conformance suite against the mutated reference server, in
// two configurations, each reachable code only in its own:
//   1. as `npm run conformance` starts it: no account is checked;
//   2. with the suite's two accounts connected and any other account refused (UNKNOWN_ACCOUNTS=reject),
//      so the connected-account lookup runs on every delivery, and the suite told to check that a
//      sync for another account is refused (--unknown-id-token).
// Exit 0 when both certify the server, else the first failing run's status.
import { spawn } from 'node:child_process';
import {
  DEFAULT_ID_TOKEN,
  DEFAULT_SECOND_ID_TOKEN,
} from '../../conformance/src/conformanceOptions.ts';
import { startReferenceTarget } from '../../conformance/src/referenceTarget.ts';
import { projectRoot } from '../../support/src/projectRoot.ts';

/** Repeatable (fixed seed), strict (a warning fails), quick (small budgets, short timeouts). */
export const SUITE_FLAGS = (
  '--seed 20261201 --repeat-ids --strict --fail-fast --large-page-size 2500 ' +
  '--model-runs 10 --model-large-drain 2500 --timeout 3000'
).split(' ');

/** An account neither run connects: the second run's server must refuse it. */
const UNCONNECTED_ID_TOKEN = 'account-nobody-connected';

function runSuite(args: string[], env: Record<string, string> = {}): Promise<number> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'conformance/src/cli.ts', ...args, ...SUITE_FLAGS],
    { cwd: projectRoot, env: { ...process.env, ...env }, stdio: ['ignore', 'inherit', 'inherit'] },
  );
  return new Promise((resolve) => child.on('exit', (code) => resolve(code ?? 1)));
}

async function main(): Promise<number> {
  const asStarted = await runSuite([]);
  if (asStarted !== 0) return asStarted;
  const target = await startReferenceTarget({
    accounts: { connected: [DEFAULT_ID_TOKEN, DEFAULT_SECOND_ID_TOKEN], unknown: 'reject' },
  });
  try {
    return await runSuite(
      [
        '--url',
        target.url,
        '--drain-url',
        target.drainUrl,
        '--inspect-url',
        target.inspectUrl,
        '--unknown-id-token',
        UNCONNECTED_ID_TOKEN,
      ],
      { WEBHOOK_SECRET: target.secret, INSPECT_TOKEN: target.inspectToken },
    );
  } finally {
    await target.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`mutant suite: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(2);
  },
);
