// Parses `npm run conformance` flags, with PARTNER_URL / WEBHOOK_SECRET from the environment.
import { parseCliArgs, unexpectedArgument } from '../../support/src/cliArgs.ts';
import { commandLine } from '../../support/src/commandLine.ts';
import { callerPath } from '../../support/src/callerPath.ts';
import { httpUrlFlag, wholeNumberFlag } from '../../support/src/flagParsers.ts';
import { GROUPS, type Group, type ModelBudget } from './cases/caseTypes.ts';

export const DEFAULT_ID_TOKEN = '7a36ae58-c4b9-11eb-8529-0242ac130003';
/** The second account of the cases that keep accounts apart; a partner may refuse it. */
export const DEFAULT_SECOND_ID_TOKEN = '4f0c2b9e-8d1a-4e57-a3c6-2b7d9e1f0a58';

export const usage = `Usage: ${commandLine('conformance')} [--url URL --secret SECRET] [options]

Certifies a partner's Heap webhook endpoint against spec/webhook_spec.yaml. Without --url, it starts
this project's reference server on a free port and runs against it.
${commandLine('conformance')} oauth --help describes the run that certifies the OAuth connect flow.

Options:
  --url URL             the partner's webhook URL (or PARTNER_URL)
  --secret SECRET       the webhook secret the partner verifies with (or WEBHOOK_SECRET)
  --drain-url URL       where the partner receives drains (default: --url)
  --id-token T          the connected account to put in payloads (default ${DEFAULT_ID_TOKEN})
  --second-id-token T   a second connected account, to check accounts are kept apart (default
                        ${DEFAULT_SECOND_ID_TOKEN}); a partner that refuses it is certified
                        on one account, and the cases that need two are skipped
  --unknown-id-token T  an account nobody connected, for a partner that refuses such deliveries:
                        checks a sync for it is refused and stores nothing (default: not checked,
                        as accepting every account is as right). Without --url, the reference
                        server is started refusing every account but the two above
  --timeout MS          time limit per request (default 10000)
  --only GROUP,...      run only these groups: ${GROUPS.join(', ')}
  --max-age MS          widest replay window accepted without a warning (default 300000); the window
                        is measured, and one of an hour or more always fails
  --max-skew MS         furthest-ahead timestamp accepted without a warning (default 60000)
  --large-page-size N   users in the large-page case (default 10000; 0 skips it)
  --inspect-url URL     base URL of the partner's inspection API, to verify membership after cases
                        (the model group runs only with it)
  --model-runs N        random sequences the model group tries (default 50)
  --model-steps N       most steps in one sequence (default 20)
  --model-large-drain N members of the segment a sequence's large drain empties (default 20000;
                        0 leaves large drains out)
  --model-path P        with --seed: replay only the shrunk failure the result printed
  --inspect-token T     bearer token for the inspection API (or INSPECT_TOKEN)
  --seed N              the model group's random sequences come from N, so a failure replays
                        (default: a new seed, printed in the group's result)
  --repeat-ids          with --seed, draw segment ids and sync_task_ids from N too, so a run
                        against a fresh endpoint repeats exactly (default: new ones every run, so
                        runs against the same endpoint never meet)
  --fail-fast           stop at the first failed case and skip the rest
  --strict              a warning fails the run too (exit 1): for an endpoint held to every
                        "should", such as this project's reference server
  --json FILE           write a JSON report
  --junit FILE          write a JUnit XML report
  --html FILE           write a self-contained HTML report (failures with their exchange and cause)
  -h, --help            this help

Exit status: 0 when no "must" case failed, 1 when one did (with --strict, when any case warned) or
the endpoint hangs, 2 for a usage error, an unreachable partner, an inspection API that refuses its
first call or a report file that cannot be written. What pass, fail and warning mean: conformance/INTERPRETING.md.`;

export interface ConformanceOptions {
  /** Null: start the reference server. */
  url: string | null;
  secret: string | null;
  drainUrl: string | null;
  idToken: string;
  secondIdToken: string;
  /** An account nobody connected, which the partner says it refuses; null: not checked. */
  unknownIdToken: string | null;
  modelBudget: ModelBudget;
  timeoutMs: number;
  groups: Group[] | null;
  maxAgeMs: number;
  maxSkewMs: number;
  largePageSize: number;
  inspectUrl: string | null;
  inspectToken: string | null;
  jsonFile: string | null;
  junitFile: string | null;
  htmlFile: string | null;
  /** Stop at the first failed case. */
  failFast: boolean;
  /** Warnings count as failures for the exit status. */
  strict: boolean;
  /** The model group's seed; null picks one. */
  seed: number | null;
  /** Draw segment ids and sync_task_ids from `seed` too. */
  repeatIds: boolean;
}

export type ParsedConformanceArgs =
  | { kind: 'run'; options: ConformanceOptions }
  | { kind: 'help' }
  | { kind: 'error'; message: string };

const CONFORMANCE_FLAGS = {
  url: { type: 'string' },
  secret: { type: 'string' },
  'drain-url': { type: 'string' },
  'id-token': { type: 'string' },
  'second-id-token': { type: 'string' },
  'unknown-id-token': { type: 'string' },
  'model-runs': { type: 'string' },
  'model-steps': { type: 'string' },
  'model-large-drain': { type: 'string' },
  'model-path': { type: 'string' },
  timeout: { type: 'string' },
  only: { type: 'string' },
  'max-age': { type: 'string' },
  'max-skew': { type: 'string' },
  'large-page-size': { type: 'string' },
  'inspect-url': { type: 'string' },
  'inspect-token': { type: 'string' },
  seed: { type: 'string' },
  'repeat-ids': { type: 'boolean', default: false },
  'fail-fast': { type: 'boolean', default: false },
  strict: { type: 'boolean', default: false },
  json: { type: 'string' },
  junit: { type: 'string' },
  html: { type: 'string' },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

/**
 * The inspection API's token, from --inspect-token or INSPECT_TOKEN (an empty variable counts as
 * unset). An empty flag is refused: it would send no Authorization header and look like a wrong
 * token. Both conformance runs read it this way.
 */
export function inspectTokenSetting(
  flag: string | undefined,
  env: NodeJS.ProcessEnv,
): string | null {
  if (flag !== undefined && flag.trim() === '') {
    throw new Error('--inspect-token must not be empty: give the token, or leave the flag out');
  }
  return flag ?? (env.INSPECT_TOKEN?.trim() || null);
}

export function parseConformanceArgs(
  argv: string[],
  env: NodeJS.ProcessEnv,
): ParsedConformanceArgs {
  try {
    const { values, positionals } = parseCliArgs(
      {
        args: argv,
        allowPositionals: true,
        options: CONFORMANCE_FLAGS,
      },
      { command: commandLine('conformance', env), env },
    );
    if (values.help) return { kind: 'help' };
    if (positionals.length > 0) {
      const context = { command: commandLine('conformance', env), env };
      throw new Error(
        unexpectedArgument(positionals[0]!, argv, Object.keys(CONFORMANCE_FLAGS), context),
      );
    }
    const url = httpUrlFlag('url', values.url ?? env.PARTNER_URL);
    const secret =
      values.secret ?? (url ? env.WEBHOOK_SECRET?.split(',')[0]?.trim() : undefined) ?? null;
    if (url && !secret) throw new Error('--secret (or WEBHOOK_SECRET) is required with --url');
    if (!url && (values['drain-url'] || values['inspect-url'])) {
      throw new Error('--drain-url and --inspect-url go with --url');
    }
    let groups: Group[] | null = null;
    if (values.only !== undefined) {
      groups = values.only.split(',').map((name) => name.trim()) as Group[];
      const unknown = groups.filter((name) => !GROUPS.includes(name));
      if (unknown.length > 0 || groups.length === 0) {
        throw new Error(`--only takes groups from ${GROUPS.join(', ')} (got "${values.only}")`);
      }
    }
    const idToken = values['id-token'] ?? DEFAULT_ID_TOKEN;
    const secondIdToken = values['second-id-token'] ?? DEFAULT_SECOND_ID_TOKEN;
    if (secondIdToken === idToken) throw new Error('--second-id-token must differ from --id-token');
    const unknownIdToken = values['unknown-id-token'] ?? null;
    if (unknownIdToken !== null && unknownIdToken.trim() === '') {
      throw new Error(
        '--unknown-id-token must not be empty: a delivery without an account is not one',
      );
    }
    if (unknownIdToken === idToken || unknownIdToken === secondIdToken) {
      throw new Error('--unknown-id-token must differ from --id-token and --second-id-token');
    }
    const seed =
      values.seed === undefined
        ? null
        : wholeNumberFlag('seed', values.seed, 0, { min: 0, max: 2_147_483_647 });
    const modelPath = values['model-path'];
    if (modelPath !== undefined && !/^\d+(:\d+)*(~[\w+/=:-]*)?$/.test(modelPath)) {
      throw new Error(`--model-path must be numbers joined by ":" as printed (got "${modelPath}")`);
    }
    if (values['repeat-ids'] && seed === null) throw new Error('--repeat-ids goes with --seed');
    if (modelPath !== undefined && seed === null) throw new Error('--model-path goes with --seed');
    return {
      kind: 'run',
      options: {
        url,
        secret,
        drainUrl: httpUrlFlag('drain-url', values['drain-url']),
        idToken,
        secondIdToken,
        unknownIdToken,
        modelBudget: {
          runs: wholeNumberFlag('model-runs', values['model-runs'], 50, { min: 1, max: 10_000 }),
          steps: wholeNumberFlag('model-steps', values['model-steps'], 20, { min: 1, max: 1_000 }),
          largeDrain: wholeNumberFlag('model-large-drain', values['model-large-drain'], 20_000, {
            min: 0,
            max: 1_000_000,
          }),
          seed,
          path: modelPath ?? null,
        },
        timeoutMs: wholeNumberFlag('timeout', values.timeout, 10_000, { min: 100, max: 600_000 }),
        groups,
        maxAgeMs: wholeNumberFlag('max-age', values['max-age'], 300_000, {
          min: 1_000,
          max: 86_400_000,
        }),
        maxSkewMs: wholeNumberFlag('max-skew', values['max-skew'], 60_000, {
          min: 0,
          max: 86_400_000,
        }),
        largePageSize: wholeNumberFlag('large-page-size', values['large-page-size'], 10_000, {
          min: 0,
          max: 1_000_000,
        }),
        inspectUrl: httpUrlFlag('inspect-url', values['inspect-url']),
        inspectToken: inspectTokenSetting(values['inspect-token'], env),
        jsonFile: values.json === undefined ? null : callerPath(values.json, env),
        junitFile: values.junit === undefined ? null : callerPath(values.junit, env),
        htmlFile: values.html === undefined ? null : callerPath(values.html, env),
        failFast: values['fail-fast'],
        strict: values.strict,
        seed,
        repeatIds: values['repeat-ids'],
      },
    };
  } catch (error) {
    return { kind: 'error', message: (error as Error).message };
  }
}
