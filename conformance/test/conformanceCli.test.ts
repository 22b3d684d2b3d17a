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

const secret = 'fixture-partner-secret';
let workDir: string;
test.before(async () => {
  workDir = await mkdtemp(path.join(os.tmpdir(), 'conformance-cli-'));
});
test.after.always(() => rm(workDir, { recursive: true, force: true }));

interface Report {
  summary: { passed: number; failed: number; warnings: number; skipped: number };
  cases: {
    id: string;
    group: string;
    severity: string;
    status: string;
    message: string;
    durationMs: number;
  }[];
}

async function conformance(args: string[], name: string) {
  const jsonFile = path.join(workDir, `${name}.json`);
  const outcome = await runCli('conformance/src/cli.ts', [
    ...args,
    '--json',
    jsonFile,
    '--large-page-size',
    '500',
  ]);
  const report =
    outcome.code === 2 ? null : (JSON.parse(await readFile(jsonFile, 'utf8')) as Report);
  const withStatus = (status: string) =>
    report?.cases.filter((item) => item.status === status).map((item) => item.id) ?? [];
  return { ...outcome, report, failed: withStatus('failed'), warnings: withStatus('warning') };
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
  t.regex(outcome.stdout, /PASS: \d+ passed, 0 failed, 0 warnings/);
  const first = outcome.report!.cases[0]!;
  t.deepEqual(Object.keys(first).sort(), [
    'durationMs',
    'group',
    'id',
    'message',
    'severity',
    'source',
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

const broken: [Flaw, { only?: string; mustFail: string[]; warned?: string[] }][] = [
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
    },
  ],
  [
    'no-timestamp-check',
    {
      only: 'signature',
      mustFail: ['signature.replay-window'],
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
    },
  ],
  [
    'seconds-timestamps',
    {
      only: 'examples,signature',
      mustFail: ['examples.mixed-page', 'signature.seconds-timestamp'],
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
];

for (const [flaw, { only, mustFail, warned = [] }] of broken) {
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
});

test('a correct partner without an inspection API passes, effects reported as not verified', async (t) => {
  const partner = await against({}, t);
  const outcome = await conformance(
    [...partnerArgs(partner, { inspect: false }), '--only', 'sync'],
    'no-inspect',
  );
  t.is(outcome.code, 0);
  t.regex(outcome.stdout, /Effects not verified: no --inspect-url/);
  t.true(outcome.report!.cases.every((item) => /members not verified/.test(item.message)));
});

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
  ['an unknown flag', { args: ['--frobnicate'], want: /Unknown option '--frobnicate'/ }],
  [
    'an unreachable partner',
    {
      args: ['--url', 'http://127.0.0.1:9/hook', '--secret', 's'],
      want: /^conformance: cannot reach http:\/\/127\.0\.0\.1:9\/hook: connection refused/,
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
