// The HTML report as text: escaped, redacted, self-contained, with a likely cause per finding; and
// what `--html` writes for a partner whose errors leak the valid HMAC.
import test from 'ava';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { CaseResult } from '../src/cases/caseTypes.ts';
import { htmlReport } from '../src/reporters/htmlReport.ts';
import { likelyCause } from '../src/reporters/likelyCause.ts';
import type { SuiteResult } from '../src/runner/runSuite.ts';
import { runCli } from '../../support/testing/runCli.ts';
import { startHmacLeakingPartner } from './fixtures/hmacLeakingPartner.ts';

const secret = 'html-report-secret';
const digest = 'q83vEjRWeJq83vEjRWeJq83vEjRWeJq83vEjRWeJq80=';
const hexDigest = 'ab'.repeat(32);

function caseResult(overrides: Partial<CaseResult>): CaseResult {
  return {
    id: 'signature.pretty-printed',
    group: 'signature',
    title: 'A genuine pretty-printed body is accepted',
    severity: 'must',
    source: 'our-decision',
    specRef: 'webhook_spec.yaml#/info/description (Signing rule)',
    status: 'failed',
    message: 'pretty-printed: expected a 2xx, got 403 {"error":"signature_mismatch"}',
    durationMs: 12,
    ...overrides,
  } as CaseResult;
}

const result = {
  summary: { passed: 1, failed: 1, warnings: 1, skipped: 0 },
  durationMs: 1234,
  findings: [],
  diagnoses: [],
  effectsVerified: false,
  stoppedBecause: null,
  setupProblem: false,
  cases: [
    caseResult({}),
    caseResult({
      id: 'robustness.invalid-json',
      group: 'robustness',
      title: 'Signed <invalid> JSON',
      severity: 'must',
      status: 'warning',
      message: `invalid-json: should be 400, got 422 <script>alert("x")</script> ${digest.slice(0, 30)} ${digest.slice(0, 14)}`,
      evidence: [
        'invalid-json: sent POST http://127.0.0.1:1/hook',
        `  Heap-Hash: "ts:1700000000000,hmac:${digest}", Content-Type: application/json`,
        '  body (49 bytes): {"id_token":"7a36ae58-c4b9-11eb-8529-0242ac130003"}',
        `  received 403 after 2 ms: Invalid hmac. Received: x, Computed: ${digest} ${hexDigest} ${secret}`,
      ].join('\n'),
    }),
    caseResult({ id: 'sync.in-order', group: 'sync', title: 'In order', status: 'passed' }),
  ],
} as SuiteResult;

const html = htmlReport(result, {
  target: 'http://127.0.0.1:1/hook?a=<b>',
  secrets: [secret],
  finishedAt: new Date('2026-01-02T03:04:05Z'),
});

test('escapes everything a partner controls', (t) => {
  t.false(html.includes('<script'));
  t.true(html.includes('got 422 &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;'));
  t.true(html.includes('Signed &lt;invalid&gt; JSON'));
  t.true(html.includes('hook?a=&lt;b&gt;'));
});

test('never shows a signature, a digest or the secret', (t) => {
  t.false(html.includes(digest));
  t.false(html.includes(hexDigest));
  t.false(html.includes(secret));
  t.true(html.includes('hmac:[redacted, 44 chars]'));
  // Timestamps, UUIDs and the suite's own references are not mistaken for digests.
  t.true(html.includes('ts:1700000000000'));
  t.true(html.includes('&quot;7a36ae58-c4b9-11eb-8529-0242ac130003&quot;'));
  t.true(html.includes('webhook_spec.yaml#/info/description (Signing rule)'));
  t.true(html.includes('Computed: [redacted digest] [redacted digest] [secret]'));
  // A digest cut off by an excerpt is still a signature's worth of secret bytes.
  t.false(html.includes(digest.slice(0, 14)));
  t.true(html.includes('&lt;/script&gt; [redacted digest] [redacted digest]'));
});

test('shows the target URL and request URLs intact, however digest-like the port and path', (t) => {
  const target = 'http://127.0.0.1:3000/webhooks/heap';
  const drainUrl = 'http://127.0.0.1:3000/webhooks/heap/drain0a1b2c3d4e5f6';
  const page = htmlReport(
    {
      ...result,
      cases: [
        caseResult({
          evidence: [
            `pretty-printed: sent POST ${target}`,
            `  Heap-Hash: "ts:1700000000000,hmac:${digest}"`,
            `drain: sent POST ${drainUrl}`,
            `  received 403 after 2 ms: Computed: ${digest} for ${secret}`,
          ].join('\n'),
        }),
      ],
    },
    { target, drainUrl, secrets: [secret], finishedAt: new Date() },
  );
  t.true(page.includes(`Target <code>${target}</code>`));
  t.true(page.includes(`sent POST ${target}\n`));
  t.true(page.includes(`sent POST ${drainUrl}\n`));
  t.false(page.includes(digest.slice(0, 14)));
  t.false(page.includes(secret));
  t.true(page.includes('Computed: [redacted digest] for [secret]'));
});

test('loads nothing: no script, no external reference, a restrictive CSP', (t) => {
  t.notRegex(html, /<(script|link|img|iframe|object|embed)\b/i);
  t.notRegex(html, /(src|href)\s*=\s*(?!["']?#)/i);
  t.regex(html, /Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'/);
});

test('shows counts, each finding with severity, cause and spec, and every case by group', (t) => {
  t.regex(html, /<title>Heap webhook conformance: FAIL<\/title>/);
  t.regex(html, /<dt>Failed<\/dt><dd>1<\/dd>/);
  t.regex(html, /<dt>Warnings<\/dt><dd>1<\/dd>/);
  t.regex(html, /FAILED \(must\): <code>signature\.pretty-printed<\/code>/);
  t.regex(html, /<dt>Likely cause<\/dt><dd>The endpoint verifies something other than the exact/);
  t.regex(html, /<dt>Spec<\/dt><dd><code>webhook_spec\.yaml#\/info\/description/);
  t.regex(html, /sync: 1 passed, 0 failed, 0 warnings, 0 skipped/);
  t.regex(html, /effects not verified \(no inspection API\)/);
});

test("a result's likely cause, measurement, diagnoses, findings and early stop are shown", (t) => {
  const noted: SuiteResult = {
    ...result,
    cases: [
      caseResult({
        id: 'signature.replay-window',
        likelyCause: 'The window is <wide>.',
        measured: 'accepts 10 minutes old',
      }),
    ],
    diagnoses: [{ cause: 'Verifies re-serialised JSON', cases: ['signature.pretty-printed'] }],
    findings: [
      {
        status: 'warning',
        behaviour: 'answers <204> where 200 is recommended',
        cases: ['signature.replay-window', 'sync.unknown'],
      },
    ],
    effectsVerified: true,
    stoppedBecause: 'the endpoint hangs',
  };
  const page = htmlReport(noted, {
    target: 'http://127.0.0.1:1/hook',
    secrets: [],
    finishedAt: new Date(),
  });
  t.regex(page, /<dt>Likely cause<\/dt><dd>The window is &lt;wide&gt;\.<\/dd>/);
  t.regex(page, /<dt>Measured<\/dt><dd>accepts 10 minutes old<\/dd>/);
  t.regex(
    page,
    /<li>Verifies re-serialised JSON \(<code>signature\.pretty-printed<\/code>\)<\/li>/,
  );
  t.regex(page, /The run stopped early:<\/strong> the endpoint hangs/);
  // Each behaviour once, with its cases linked to their details when the page has them.
  t.regex(
    page,
    /<strong>warning<\/strong>: answers &lt;204&gt; where 200 is recommended \(2 cases: <a href="#case-signature\.replay-window"><code>signature\.replay-window<\/code><\/a>, <code>sync\.unknown<\/code>\)/,
  );
  t.regex(page, /effects verified through the inspection API/);
  t.notRegex(html, /Likely causes<\/h2>|stopped early|Findings by behaviour/);
});

const causes: [string, { given: Partial<CaseResult>; want: RegExp | null }][] = [
  ['a passed case has none', { given: { status: 'passed' }, want: null }],
  [
    'a pretty-printed body refused',
    { given: {}, want: /exact bytes received \(a re-serialisation/ },
  ],
  [
    'a forged delivery accepted',
    {
      given: {
        id: 'signature.wrong-secret',
        message: 'wrong-secret: accepted a delivery it must refuse (200)',
      },
      want: /signature is not checked/,
    },
  ],
  [
    'a crash on a truncated hmac',
    {
      given: { id: 'signature.truncated-hmac', message: 'truncated-hmac: server error 500' },
      want: /timingSafeEqual/,
    },
  ],
  [
    'any other 5xx',
    {
      given: { id: 'robustness.empty-body', message: 'empty-body: server error 500' },
      want: /unhandled error/,
    },
  ],
  [
    'a hang',
    {
      given: { message: 'x: no answer within the time limit (a hang)' },
      want: /did not answer within --timeout/,
    },
  ],
  [
    'members left after a drain',
    {
      given: { group: 'drain', id: 'drain.after-sync', message: 'members differ: x' },
      want: /drain/,
    },
  ],
  [
    '204 instead of 200',
    {
      given: { status: 'warning', severity: 'should', message: 'a: should be 200, got 204' },
      want: /Another 2xx than 200/,
    },
  ],
  [
    'a spec example refused with 400',
    {
      given: { id: 'examples.drain', group: 'examples', message: 'drain: expected a 2xx, got 400' },
      want: /validates more strictly than the contract/,
    },
  ],
];

for (const [name, { given, want }] of causes) {
  test(`likely cause: ${name}`, (t) => {
    const cause = likelyCause(caseResult(given));
    if (want === null) t.is(cause, null);
    else t.regex(cause ?? '', want);
  });
}

test('--html against a partner whose 403 leaks the valid HMAC: the page shows the leak redacted', async (t) => {
  const partner = await startHmacLeakingPartner({ secret });
  const dir = await mkdtemp(path.join(os.tmpdir(), 'html-report-'));
  t.teardown(async () => {
    await partner.close();
    await rm(dir, { recursive: true, force: true });
  });
  const file = path.join(dir, 'report.html');
  const outcome = await runCli('conformance/src/cli.ts', [
    ...['--url', partner.webhookUrl, '--secret', secret, '--only', 'signature', '--html', file],
  ]);
  t.not(outcome.code, 2, outcome.stderr);
  const page = await readFile(file, 'utf8');
  // The leaking answer is shown, without the signature it leaked (nor a readable part of it).
  t.regex(page, /Invalid hmac\. Received: [^,]*, Computed: /);
  t.notRegex(page, /Computed: [A-Za-z0-9+/]{13,}/);
  t.notRegex(page, /(?<![A-Za-z0-9+/])[A-Za-z0-9+/]{43}=/);
  // Case labels that end in "hmac" are not mistaken for the header field.
  t.regex(page, /truncated-hmac: sent POST/);
  t.false(page.includes(secret));
});
