// The conformance CLI against the reference server, broken partners and differently built correct
// partners: it must fail each flaw with the right case and pass every correct partner.
import test from 'ava';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../../support/testing/runCli.ts';
import {
  startFixturePartner,
  type Flaw,
  type FixturePartnerOptions,
} from './fixtures/fixturePartner.ts';
import { DEFAULT_ID_TOKEN } from '../src/conformanceOptions.ts';

const secret = 'fixture-partner-secret';
let workDir: string;
test.before(async () => {
  workDir = await mkdtemp(path.join(os.tmpdir(), 'conformance-cli-'));
});
test.after.always(() => rm(workDir, { recursive: true, force: true }));

interface Report {
  summary: { passed: number; failed: number; warnings: number; skipped: number };
  effectsVerified: boolean;
  stoppedBecause: string | null;
  findings: { status: string; behaviour: string; cases: string[]; likelyCause?: string }[];
  diagnoses: { cause: string; cases: string[] }[];
  cases: {
    id: string;
    group: string;
    severity: string;
    status: string;
    message: string;
    durationMs: number;
  }[];
}

/**
 * Whole-suite runs at once: each is a Node process running every case against a partner, and the
 * machine is shared; unlimited, they starve each other into the CLI time limit.
 */
const MAX_RUNS = 3;
let running = 0;
const waiting: (() => void)[] = [];
async function oneOfFewRuns<T>(run: () => Promise<T>): Promise<T> {
  if (running < MAX_RUNS) running += 1;
  else await new Promise<void>((resolve) => waiting.push(resolve));
  try {
    return await run();
  } finally {
    // The slot passes straight to the next waiting run, if any.
    const next = waiting.shift();
    if (next) next();
    else running -= 1;
  }
}

async function conformance(args: string[], name: string) {
  const jsonFile = path.join(workDir, `${name}.json`);
  const outcome = await oneOfFewRuns(() =>
    runCli('conformance/src/cli.ts', [
      ...args,
      '--json',
      jsonFile,
      '--large-page-size',
      '500',
      // The model group has tests of its own (modelGroup.test.ts); here it runs small.
      '--model-runs',
      '10',
      '--model-large-drain',
      '1500',
    ]),
  );
  const report =
    outcome.code === 2 ? null : (JSON.parse(await readFile(jsonFile, 'utf8')) as Report);
  const withStatus = (status: string) =>
    report?.cases.filter((item) => item.status === status).map((item) => item.id) ?? [];
  const messageOf = (id: string) => report?.cases.find((item) => item.id === id)?.message ?? '';
  return {
    ...outcome,
    report,
    failed: withStatus('failed'),
    warnings: withStatus('warning'),
    messageOf,
  };
}

async function against(
  options: Omit<FixturePartnerOptions, 'secret'>,
  t: { teardown(fn: () => Promise<void>): void },
) {
  const partner = await startFixturePartner({ secret, ...options });
  t.teardown(() => partner.close());
  return partner;
}

const partnerArgs = (
  partner: { syncUrl: string; drainUrl: string; inspectUrl: string },
  options: { inspect?: boolean } = {},
) => [
  '--url',
  partner.syncUrl,
  '--drain-url',
  partner.drainUrl,
  '--secret',
  secret,
  ...(options.inspect === false ? [] : ['--inspect-url', partner.inspectUrl]),
];

test('without --url it certifies the reference server: all cases pass, reports written', async (t) => {
  const junitFile = path.join(workDir, 'reference.xml');
  const outcome = await conformance(['--junit', junitFile], 'reference');
  t.is(outcome.code, 0, outcome.stdout + outcome.stderr);
  t.deepEqual(outcome.failed, []);
  t.deepEqual(outcome.warnings, []);
  t.true(outcome.report!.summary.passed >= 45);
  t.regex(outcome.stdout, /the reference server, started for this run/);
  // The window is reported even when it passes.
  t.regex(
    outcome.stdout,
    /✓ signature\.replay-window .*\n {6}measured window: past up to \d+ (s|min) \(refuses \d+ (s|min)\), ahead up to/,
  );
  t.regex(outcome.stdout, /PASS: \d+ passed, 0 failed, 0 warnings/);
  const first = outcome.report!.cases[0]!;
  t.deepEqual(Object.keys(first).sort(), [
    'durationMs',
    'group',
    'id',
    'message',
    'severity',
    'source',
    'specRef',
    'status',
  ]);
  const ids = outcome.report!.cases.map((item) => item.id);
  t.true(ids.includes('signature.replay-window') && ids.includes('drain.mid-sync'));
  const junit = await readFile(junitFile, 'utf8');
  t.regex(
    junit,
    /^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites name="heap-webhook-conformance" tests="\d+" failures="0"/,
  );
  t.is(junit.match(/<testcase /g)?.length, ids.length);
});

const broken: [
  Flaw,
  { only?: string; mustFail: string[]; warned?: string[]; likelyCause?: RegExp },
][] = [
  [
    'no-signature-check',
    {
      only: 'signature,drain',
      mustFail: [
        'signature.missing-header',
        'signature.wrong-secret',
        'signature.replay-window',
        'drain.bad-signature',
      ],
    },
  ],
  [
    'reserialised-json',
    {
      only: 'signature',
      mustFail: ['signature.pretty-printed', 'signature.escaped-unicode'],
      likelyCause: /re-serialisation of the parsed JSON/,
    },
  ],
  [
    'no-timestamp-check',
    {
      only: 'signature',
      mustFail: ['signature.replay-window'],
      likelyCause: /does not check the Heap-Hash timestamp at all/,
    },
  ],
  ['crash-on-short-hmac', { only: 'signature', mustFail: ['signature.truncated-hmac'] }],
  [
    'hex-digests',
    {
      only: 'examples,signature',
      mustFail: ['examples.add-only-page', 'signature.raw-utf8-ids'],
      // Accepting a hex digest as well lets nothing forged in: a should.
      warned: ['signature.hex-hmac'],
      likelyCause: /expects a hex digest; Heap sends the HMAC-SHA256 in Base64/,
    },
  ],
  [
    'seconds-timestamps',
    {
      only: 'examples,signature',
      mustFail: ['examples.mixed-page', 'signature.seconds-timestamp'],
      likelyCause: /reads the Heap-Hash ts as seconds/,
    },
  ],
  [
    'drain-unsupported',
    {
      only: 'examples,drain',
      mustFail: ['examples.drain', 'drain.after-sync', 'drain.unknown-segment'],
    },
  ],
  ['drain-ignored', { only: 'drain', mustFail: ['drain.after-sync', 'drain.mid-sync'] }],
  [
    'invalid-json-500',
    { only: 'robustness', mustFail: ['robustness.invalid-json', 'robustness.empty-body'] },
  ],
  [
    'hmac-oracle',
    {
      only: 'signature,drain',
      mustFail: ['signature.signing-oracle', 'signature.wrong-secret', 'drain.bad-signature'],
    },
  ],
];

for (const [flaw, { only, mustFail, warned = [], likelyCause }] of broken) {
  test(`a partner with the flaw "${flaw}" fails ${mustFail.join(', ')}`, async (t) => {
    const partner = await against({ flaws: [flaw] }, t);
    const outcome = await conformance(
      [...partnerArgs(partner), ...(only ? ['--only', only] : [])],
      flaw,
    );
    t.is(outcome.code, 1, outcome.stdout);
    for (const id of mustFail)
      t.true(
        outcome.failed.includes(id),
        `${id} should fail; failed: ${outcome.failed.join(', ')}`,
      );
    for (const id of warned)
      t.true(
        outcome.warnings.includes(id),
        `${id} should warn; warned: ${outcome.warnings.join(', ')}`,
      );
    t.regex(outcome.stdout, /FAILED \(must\)/);
    if (likelyCause) {
      t.regex(outcome.stdout, new RegExp(`\\nLikely cause: .*${likelyCause.source}`));
      t.true(outcome.report!.diagnoses.some((item) => likelyCause.test(item.cause)));
    }
    // Failures decided by an answer show the exchange; those decided by the store show the members.
    t.regex(
      outcome.stdout,
      flaw === 'drain-ignored' ? /members differ/ : /sent POST http:\/\/127\.0\.0\.1/,
    );
  });
}

test('a correct partner on one route answering 202 passes, with 200 reported as a warning', async (t) => {
  const partner = await against({ routes: 'single', ackStatus: 202 }, t);
  const outcome = await conformance(
    ['--url', partner.syncUrl, '--secret', secret, '--inspect-url', partner.inspectUrl],
    'single-202',
  );
  t.is(outcome.code, 0, outcome.stdout);
  t.deepEqual(outcome.failed, []);
  t.true(outcome.warnings.includes('examples.add-only-page'));
});

test('a correct partner answering 400 to bad signatures passes, with 403 reported as a warning', async (t) => {
  const partner = await against({ signatureStatus: 400 }, t);
  const outcome = await conformance(partnerArgs(partner), 'status-400');
  t.is(outcome.code, 0, outcome.stdout);
  t.true(outcome.warnings.includes('signature.wrong-secret'));
  t.false(outcome.warnings.includes('sync.in-order'));
});

test("a partner with Heap's reference 1-second future window passes, warned about fast clocks", async (t) => {
  const partner = await against({ futureToleranceMs: 1000, pastToleranceMs: 60_000 }, t);
  const outcome = await conformance(
    [...partnerArgs(partner), '--max-age', '60000', '--max-skew', '1000'],
    'one-second',
  );
  t.is(outcome.code, 0, outcome.stdout);
  t.deepEqual(outcome.failed, []);
  t.true(outcome.warnings.includes('signature.clock-fast'));
  t.regex(outcome.messageOf('signature.clock-fast'), /^signed 5 s ahead: expected a 2xx, got 403/);
  t.regex(outcome.stdout, /\nLikely cause: the future tolerance is too narrow/);
});

test('a correct partner without an inspection API passes, effects reported as not verified', async (t) => {
  const partner = await against({}, t);
  const outcome = await conformance(
    [...partnerArgs(partner, { inspect: false }), '--only', 'sync'],
    'no-inspect',
  );
  t.is(outcome.code, 0);
  t.regex(outcome.stdout, /Effects not verified: no --inspect-url/);
  t.regex(
    outcome.stdout,
    /PASS: .* skipped in [\d.]+ s; effects not verified \(no --inspect-url\)\n/,
  );
  t.false(outcome.report!.effectsVerified);
  const ran = outcome.report!.cases.filter((item) => item.status !== 'skipped');
  t.true(ran.length > 10);
  t.true(ran.every((item) => /members not verified/.test(item.message)));
});

test('a correct partner serving the whole inspection API passes the inspection group', async (t) => {
  const partner = await against({}, t);
  const outcome = await conformance(
    [...partnerArgs(partner), '--only', 'inspection'],
    'inspection',
  );
  t.is(outcome.code, 0, outcome.stdout);
  t.deepEqual(
    outcome.report!.cases.map((item) => [item.id, item.status]),
    [
      ['inspection.member-pages', 'passed'],
      ['inspection.segments', 'passed'],
      ['inspection.sync-tasks', 'passed'],
    ],
  );
});

test('without an inspection API the inspection group is skipped, saying it needs one', async (t) => {
  const partner = await against({}, t);
  const outcome = await conformance(
    [...partnerArgs(partner, { inspect: false }), '--only', 'inspection'],
    'inspection-none',
  );
  t.is(outcome.code, 0, outcome.stdout);
  t.true(outcome.report!.cases.every((item) => item.status === 'skipped'));
  t.regex(outcome.messageOf('inspection.segments'), /needs an inspection API/);
});

test('a partner storing ids as UTF-8 text passes, warned that lone surrogates are mangled', async (t) => {
  const partner = await against({ flaws: ['utf8-ids'] }, t);
  const outcome = await conformance([...partnerArgs(partner), '--only', 'sync'], 'utf8-ids');
  t.is(outcome.code, 0, outcome.stdout);
  t.deepEqual(outcome.warnings, ['sync.lone-surrogate-ids']);
  t.regex(outcome.messageOf('sync.lone-surrogate-ids'), /members differ/);
});

test('a partner refusing bad signatures with an empty {"error": ""} is warned that the reason is missing', async (t) => {
  const partner = await against({ signatureErrorBody: 'empty' }, t);
  const outcome = await conformance(
    [...partnerArgs(partner), '--only', 'signature'],
    'empty-error',
  );
  t.is(outcome.code, 0, outcome.stdout);
  t.true(outcome.warnings.includes('signature.wrong-secret'), outcome.warnings.join(', '));
  t.true(
    outcome.report!.findings.some((finding) =>
      /without the recommended JSON \{"error": "\.\.\."\} body/.test(finding.behaviour),
    ),
  );
});

const inspectionFlaws: [Flaw, string, RegExp][] = [
  ['loose-member-pages', 'inspection.member-pages', /gave 11 members; limit=10 allows at most 10/],
  ['drain-not-listed', 'inspection.segments', /was drained, but its last_drained_at is null/],
  [
    'name-kept-when-absent',
    'inspection.segments',
    /after a sync whose segment has no name: segment \d+ is named ".+"; the latest delivery named it ""/,
  ],
  [
    'redeliveries-not-counted',
    'inspection.sync-tasks',
    /"redeliveries":0\}; it was sent as .*"redeliveries":1/,
  ],
];

for (const [flaw, id, message] of inspectionFlaws) {
  test(`an inspection API with the flaw "${flaw}" is warned by ${id}, and fails it with --strict`, async (t) => {
    const partner = await against({ flaws: [flaw] }, t);
    const outcome = await conformance([...partnerArgs(partner), '--only', 'inspection'], flaw);
    t.is(outcome.code, 0, outcome.stdout);
    t.deepEqual(outcome.warnings, [id]);
    t.regex(outcome.messageOf(id), message);
    const strict = await conformance(
      [...partnerArgs(partner), '--only', 'inspection', '--strict'],
      `${flaw}-strict`,
    );
    t.is(strict.code, 1, strict.stdout);
  });
}

const usageErrors: [string, { args: string[]; want: RegExp }][] = [
  [
    '--url without a secret',
    {
      args: ['--url', 'http://127.0.0.1:9/hook'],
      want: /--secret \(or WEBHOOK_SECRET\) is required/,
    },
  ],
  [
    'an unknown group',
    { args: ['--only', 'signatures'], want: /--only takes groups from examples, signature/ },
  ],
  ['a bad timeout', { args: ['--timeout', 'soon'], want: /--timeout must be a whole number/ }],
  [
    'an unknown flag',
    {
      args: ['--frobnicate'],
      want: /^conformance: unknown flag --frobnicate \(npm run conformance -- --help lists the options\)\n$/,
    },
  ],
  ['a misspelt flag', { args: ['--secert', 's'], want: /did you mean --secret\?/ }],
  [
    'an unreachable partner',
    {
      args: ['--url', 'http://127.0.0.1:9/hook', '--secret', 's'],
      want: /^conformance: cannot reach http:\/\/127\.0\.0\.1:9\/hook: connection refused/,
    },
  ],
  [
    'an --unknown-id-token that is the connected account',
    {
      args: ['--unknown-id-token', DEFAULT_ID_TOKEN],
      want: /^conformance: --unknown-id-token must differ from --id-token and --second-id-token/,
    },
  ],
  [
    'an empty --unknown-id-token',
    {
      args: ['--unknown-id-token', ' '],
      want: /^conformance: --unknown-id-token must not be empty/,
    },
  ],
  [
    'an empty --inspect-token',
    {
      args: ['--url', 'http://127.0.0.1:9/hook', '--secret', 's', '--inspect-token', ''],
      want: /^conformance: --inspect-token must not be empty/,
    },
  ],
];

for (const [name, { args, want }] of usageErrors) {
  test(`exit 2 with one clear line for ${name}`, async (t) => {
    const outcome = await runCli('conformance/src/cli.ts', args);
    t.is(outcome.code, 2);
    t.regex(outcome.stderr, want);
    t.notRegex(outcome.stderr, /\n\s+at /);
  });
}

test('a partner that checks id_token and lets a repeated Heap-Hash key win passes with --id-token', async (t) => {
  const partner = await against({ knownIdTokens: ['account-42'], duplicateKeys: 'last' }, t);
  const outcome = await conformance(
    [...partnerArgs(partner), '--id-token', 'account-42'],
    'id-token',
  );
  t.is(outcome.code, 0, outcome.stdout);
  t.deepEqual(outcome.failed, []);
  // Refusing a repeated key is recommended, not required: Heap never repeats one. Refusing a
  // delivery that names no account costs only Heap's test tools: a warning too.
  t.deepEqual(outcome.warnings, [
    'examples.corpus-reference-app-sync-without-id-token',
    'examples.corpus-reference-app-sync-empty-id-token',
    'examples.corpus-reference-app-drain-without-id-token',
    'signature.duplicate-keys',
  ]);
});

const UNCONNECTED = 'account-nobody-connected';
const UNKNOWN_CASE = 'sync.unknown-account-refused';
const UNKNOWN_DRAIN_CASE = 'drain.unknown-account-refused';

test('without --url, --unknown-id-token starts the reference server refusing other accounts, and it passes', async (t) => {
  const outcome = await conformance(
    ['--unknown-id-token', UNCONNECTED, '--only', 'sync,drain,inspection', '--strict'],
    'unknown-account-reference',
  );
  t.is(outcome.code, 0, outcome.stdout);
  for (const id of [UNKNOWN_CASE, UNKNOWN_DRAIN_CASE]) {
    t.is(outcome.report?.cases.find((item) => item.id === id)?.status, 'passed', id);
    t.regex(outcome.messageOf(id), /^refused with 403; nothing stored for the account$/);
  }
});

test('without --unknown-id-token the unknown-account case is skipped, saying why', async (t) => {
  const partner = await against({}, t);
  const outcome = await conformance([...partnerArgs(partner), '--only', 'sync'], 'unknown-skip');
  t.is(outcome.code, 0, outcome.stdout);
  t.is(outcome.report?.cases.find((item) => item.id === UNKNOWN_CASE)?.status, 'skipped');
  t.regex(outcome.messageOf(UNKNOWN_CASE), /no --unknown-id-token/);
});

test('a partner that accepts every account is warned when --unknown-id-token says it refuses', async (t) => {
  const partner = await against({}, t);
  const args = [...partnerArgs(partner), '--only', 'sync', '--unknown-id-token', UNCONNECTED];
  const outcome = await conformance(args, 'unknown-accepted');
  t.is(outcome.code, 0, outcome.stdout);
  t.deepEqual(outcome.warnings, [UNKNOWN_CASE]);
  t.regex(outcome.messageOf(UNKNOWN_CASE), /^answered 200 .*Invalid id_token/);
  const strict = await conformance([...args, '--strict'], 'unknown-accepted-strict');
  t.is(strict.code, 1, strict.stdout);
});

test('a partner checking accounts passes the unknown-account case; one that stores before refusing fails it', async (t) => {
  const accounts = ['account-42', 'account-43'];
  const flags = (partner: { syncUrl: string; drainUrl: string; inspectUrl: string }) => [
    ...partnerArgs(partner),
    '--only',
    'sync',
    '--id-token',
    accounts[0]!,
    '--second-id-token',
    accounts[1]!,
    '--unknown-id-token',
    UNCONNECTED,
  ];
  const checking = await against({ knownIdTokens: accounts }, t);
  const passed = await conformance(flags(checking), 'unknown-refused');
  t.is(passed.code, 0, passed.stdout);
  t.is(passed.report?.cases.find((item) => item.id === UNKNOWN_CASE)?.status, 'passed');

  const storing = await against({ knownIdTokens: accounts, flaws: ['unknown-account-stored'] }, t);
  const failed = await conformance(flags(storing), 'unknown-stored');
  t.is(failed.code, 1, failed.stdout);
  t.deepEqual(failed.failed, [UNKNOWN_CASE]);
  t.regex(
    failed.messageOf(UNKNOWN_CASE),
    /refused with 403, yet the inspection API lists 2 members/,
  );
});

test('a wrong path stops the run at the first genuine delivery: exit 2, one line naming --url', async (t) => {
  const partner = await against({}, t);
  const outcome = await conformance(
    ['--url', `${partner.baseUrl}/webhooks/heap`, '--secret', secret],
    'wrong-path',
  );
  t.is(outcome.code, 2, outcome.stdout + outcome.stderr);
  t.regex(
    outcome.stderr,
    /^conformance: .*\/webhooks\/heap answered 404 to the first genuine delivery \(examples\.[a-z-]+\): .*check --url[^\n]*\n$/,
  );
  t.true(partner.deliveries() <= 2, `${partner.deliveries()} deliveries`);
});

test('a partner that checks id_token fails without --id-token, told to pass one', async (t) => {
  const partner = await against({ knownIdTokens: ['account-42'] }, t);
  const outcome = await conformance(
    [...partnerArgs(partner), '--only', 'examples,signature'],
    'id-token-missing',
  );
  t.is(outcome.code, 1, outcome.stdout);
  t.true(outcome.failed.includes('examples.mixed-page'));
  t.regex(outcome.stdout, /\nLikely cause: every genuine delivery was refused: .*--id-token/);
});

test('a partner with a 10-minute window passes, warned with the window measured', async (t) => {
  const partner = await against({ pastToleranceMs: 660_000 }, t);
  const outcome = await conformance([...partnerArgs(partner), '--only', 'signature'], 'ten-min');
  t.is(outcome.code, 0, outcome.stdout);
  t.deepEqual(outcome.warnings, ['signature.replay-window']);
  t.regex(
    outcome.messageOf('signature.replay-window'),
    /^replay window wider than 5 min \(--max-age\): accepts deliveries 10 min old; measured window: past up to 10 min \(refuses 30 min\), ahead up to 1 min \(refuses 5 min\)$/,
  );
});

test('a partner accepting deliveries two hours old fails: a replay window of an hour or more', async (t) => {
  const partner = await against({ pastToleranceMs: 3 * 3_600_000 }, t);
  const outcome = await conformance([...partnerArgs(partner), '--only', 'signature'], 'two-hours');
  t.is(outcome.code, 1, outcome.stdout);
  t.deepEqual(outcome.failed, ['signature.replay-window']);
  t.regex(outcome.messageOf('signature.replay-window'), /accepts deliveries 2 h old/);
});

test('a partner that never bounds future timestamps is warned of a one-sided window', async (t) => {
  const partner = await against({ futureToleranceMs: 10 * 86_400_000 }, t);
  const outcome = await conformance([...partnerArgs(partner), '--only', 'signature'], 'one-sided');
  t.is(outcome.code, 0, outcome.stdout);
  t.deepEqual(outcome.warnings, ['signature.replay-window']);
  t.regex(outcome.stdout, /\nLikely cause: the window is one-sided/);
});

test("the reference app's signing oracle fails, and no report repeats the leaked HMAC", async (t) => {
  const partner = await against({ flaws: ['hmac-oracle'] }, t);
  const junitFile = path.join(workDir, 'oracle.xml');
  const outcome = await conformance(
    [...partnerArgs(partner), '--only', 'signature', '--junit', junitFile],
    'oracle',
  );
  t.is(outcome.code, 1, outcome.stdout);
  t.regex(outcome.messageOf('signature.signing-oracle'), /signing oracle/);
  const leaked = /Computed: [A-Za-z0-9+/]{43}=/;
  t.notRegex(outcome.stdout, leaked);
  t.notRegex(await readFile(path.join(workDir, 'oracle.json'), 'utf8'), leaked);
  t.notRegex(await readFile(junitFile, 'utf8'), leaked);
  // Every answer that leaked is one behaviour, listed once with its cases.
  const oracle = outcome.report!.findings.filter((item) => /signing oracle/.test(item.behaviour));
  t.is(oracle.length, 1);
  t.true(oracle[0]!.cases.includes('signature.wrong-secret'));
});

test('a partner answering 204 gets one finding listing its cases, not one warning per case', async (t) => {
  const partner = await against({ ackStatus: 204 }, t);
  const junitFile = path.join(workDir, 'ack-204.xml');
  const outcome = await conformance([...partnerArgs(partner), '--junit', junitFile], 'ack-204');
  t.is(outcome.code, 0, outcome.stdout);
  const findings = outcome.report!.findings;
  t.deepEqual(
    findings.map((item) => item.behaviour),
    ['answers 204 where 200 is recommended'],
  );
  t.true(findings[0]!.cases.length >= 20);
  t.deepEqual(findings[0]!.cases, outcome.warnings);
  t.is(outcome.stdout.match(/should be 200, got 204/g)?.length, 1);
  t.regex(
    outcome.stdout,
    new RegExp(`answers 204 where 200 is recommended: ${findings[0]!.cases.length} cases`),
  );
  t.regex(outcome.stdout, /\d+ warnings \(1 behaviour\)/);
  const junit = await readFile(junitFile, 'utf8');
  t.is(junit.match(/seen in \d+ cases:/g)?.length, 1);
});

test('a partner answering 401 to bad signatures gets one finding for it', async (t) => {
  const partner = await against({ signatureStatus: 401 }, t);
  const outcome = await conformance(
    [...partnerArgs(partner), '--only', 'signature,drain'],
    'status-401',
  );
  t.is(outcome.code, 0, outcome.stdout);
  const finding = outcome.report!.findings.find(
    (item) => item.behaviour === 'answers 401 where 403 is recommended',
  );
  t.truthy(finding);
  t.true(finding!.cases.includes('signature.wrong-secret'));
  t.true(finding!.cases.includes('drain.bad-signature'));
  t.is(outcome.report!.findings.length, 1);
});

test('a partner reading ts with parseInt passes, warned for +, spaces and trailing garbage', async (t) => {
  const partner = await against({ timestampParsing: 'parseInt' }, t);
  const outcome = await conformance([...partnerArgs(partner), '--only', 'signature'], 'parse-int');
  t.is(outcome.code, 0, outcome.stdout);
  t.deepEqual(outcome.warnings.sort(), [
    'signature.ts-inner-space',
    'signature.ts-leading-plus',
    'signature.ts-trailing-garbage',
  ]);
});

test("a partner decoding the hmac with Buffer.from's leniency passes, warned for characters outside Base64", async (t) => {
  const partner = await against({ base64Decoding: 'node' }, t);
  const outcome = await conformance(
    [...partnerArgs(partner), '--only', 'signature'],
    'lenient-base64',
  );
  t.is(outcome.code, 0, outcome.stdout);
  t.deepEqual(outcome.warnings.sort(), [
    'signature.hmac-leading-garbage',
    'signature.hmac-trailing-garbage',
  ]);
});

const setupErrors: [
  string,
  {
    partner: Omit<FixturePartnerOptions, 'secret'>;
    args: (partner: { baseUrl: string; inspectUrl: string }) => string[];
    want: RegExp;
  },
][] = [
  [
    'a wrong --inspect-token',
    {
      partner: { inspectToken: 'right-token' },
      args: (p) => ['--inspect-url', p.inspectUrl, '--inspect-token', 'wrong-token'],
      want: /^conformance: the inspection API at http:\/\/127\.0\.0\.1:\d+\/admin answered 401 to its first call: check --inspect-token/,
    },
  ],
  [
    'a wrong --inspect-url',
    {
      partner: {},
      args: (p) => ['--inspect-url', `${p.baseUrl}/inspect`],
      want: /answered 404 to its first call: check --inspect-url/,
    },
  ],
  [
    'an inspection API that is switched off',
    {
      partner: { inspectionDisabled: true },
      args: (p) => ['--inspect-url', p.inspectUrl, '--inspect-token', 'some-token-0123456789'],
      want: /^conformance: the inspection API at http:\/\/127\.0\.0\.1:\d+\/admin is disabled: set ADMIN_TOKEN on the server \(and pass it as --inspect-token or INSPECT_TOKEN\), or leave out --inspect-url\n$/,
    },
  ],
  [
    'a --json file in a missing directory',
    {
      partner: {},
      args: () => ['--json', path.join(os.tmpdir(), 'no-such-dir-for-conformance', 'r.json')],
      want: /^conformance: cannot write the report --json .*r\.json: the directory .* does not exist/,
    },
  ],
  [
    'a --junit path that is a directory',
    {
      partner: {},
      args: () => ['--junit', os.tmpdir()],
      want: /^conformance: cannot write the report --junit .*: is a directory/,
    },
  ],
];

for (const [name, { partner: partnerOptions, args, want }] of setupErrors) {
  test(`exit 2 with one line, before any delivery, for ${name}`, async (t) => {
    const partner = await against(partnerOptions, t);
    const outcome = await runCli('conformance/src/cli.ts', [
      '--url',
      partner.syncUrl,
      '--secret',
      secret,
      ...args(partner),
    ]);
    t.is(outcome.code, 2, outcome.stdout + outcome.stderr);
    t.regex(outcome.stderr, want);
    t.is(outcome.stderr.trim().split('\n').length, 1);
    t.is(partner.deliveries(), 0);
  });
}

test('a hanging endpoint stops the run after a few timeouts, saying it hangs', async (t) => {
  const partner = await against({ flaws: ['hangs'] }, t);
  const outcome = await conformance([...partnerArgs(partner), '--timeout', '1500'], 'hangs');
  t.is(outcome.code, 1, outcome.stdout);
  t.regex(
    outcome.stdout,
    /\nStopped early: the endpoint hangs: 3 requests in a row got no answer within 1500 ms\n/,
  );
  t.is(partner.deliveries(), 3);
  const report = outcome.report!;
  t.regex(report.stoppedBecause ?? '', /^the endpoint hangs/);
  t.is(report.summary.failed, 3);
  t.is(report.summary.skipped, report.cases.length - 3);
});
