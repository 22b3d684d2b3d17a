// The connect-flow run against the reference server, both as child processes: the server's own
// flow is certified (with Chromium, and with the browser hidden), and each setup problem ends the
// run with exit 2 and one line.
import { oauthCaseIds } from './fixtures/oauth/oauthCaseIds.ts';
import test from 'ava';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { SERVER_LISTENING } from '../../server/src/index.ts';
import { freePort } from '../../support/src/freePort.ts';
import { projectRoot } from '../../support/src/projectRoot.ts';
import { runTypeScript, waitForUrl } from '../../support/src/spawnListening.ts';
import { SOURCE_NAMES } from '../src/cases/caseTypes.ts';
import { oauthCases } from '../src/oauth/oauthCases.ts';
import { chromiumSkipReason } from '../../support/testing/headlessChromium.ts';
import { runCli } from '../../support/testing/runCli.ts';
import {
  referenceAppFlaws,
  startDefectiveClient,
  SUCCESS_TEXT,
  type Flaw,
} from './fixtures/oauth/dev/defectiveClient.ts';

const CLIENT_ID = 'oauth-conformance-client';
const CLIENT_SECRET = 'oauth-conformance-client-secret-0123';
const ADMIN_TOKEN = 'oauth-conformance-admin-token-0123';

const CASE_IDS: readonly string[] = oauthCaseIds;
const BROWSER_ONLY = ['oauth.third-party-resources'];

interface Report {
  summary: { passed: number; failed: number; warnings: number; skipped: number };
  findings: unknown[];
  diagnoses: unknown[];
  cases: {
    id: string;
    group: string;
    severity: string;
    source: string;
    status: string;
    message: string;
  }[];
}

interface Partner {
  dir: string;
  url: string;
  providerPort: number;
  redirectUri: string;
}

/** The reference server as a child process, told that Heap is the run's provider port. */
async function startPartner(t: { teardown(fn: () => unknown): void }): Promise<Partner> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'oauth-conformance-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const [port, providerPort] = [await freePort(), await freePort()];
  const redirectUri = `http://127.0.0.1:${port}/api/oauth_redirect`;
  const server = await waitForUrl(
    runTypeScript(path.join(projectRoot, 'server/src/main.ts'), {
      cwd: dir,
      env: {
        PORT: String(port),
        HEAP_BASE_URL: `http://127.0.0.1:${providerPort}`,
        CLIENT_ID,
        CLIENT_SECRET,
        REDIRECT_URI: redirectUri,
        ADMIN_TOKEN,
        HEAP_TIMEOUT_MS: '1000',
        DATABASE_URL: `sqlite:${path.join(dir, 'partner.db')}`,
      },
    }),
    SERVER_LISTENING,
  );
  t.teardown(() => void server.child.kill('SIGTERM'));
  return { dir, url: server.url, providerPort, redirectUri };
}

const coreFlags = (partner: Partner) => [
  'oauth',
  '--start-url',
  `${partner.url}/api/authorize`,
  '--provider-port',
  String(partner.providerPort),
  '--client-id',
  CLIENT_ID,
  '--redirect-uri',
  partner.redirectUri,
  '--timeout',
  '5000',
];

const runOAuth = (args: string[], env: Record<string, string> = {}) =>
  runCli('conformance/src/cli.ts', args, {
    env: { CLIENT_SECRET, INSPECT_TOKEN: ADMIN_TOKEN, ...env },
  });

test('the reference server certifies its own connect flow, with Chromium', async (t) => {
  if (chromiumSkipReason()) return t.pass();
  const partner = await startPartner(t);
  const files = ['json', 'junit', 'html'].map((kind) => path.join(partner.dir, `report.${kind}`));
  const outcome = await runOAuth([
    ...coreFlags(partner),
    '--inspect-url',
    `${partner.url}/admin`,
    '--json',
    files[0]!,
    '--junit',
    files[1]!,
    '--html',
    files[2]!,
  ]);
  t.is(outcome.code, 0, outcome.stdout + outcome.stderr);
  t.regex(outcome.stdout, /Browser checks in Chromium/);
  t.regex(outcome.stdout, /PASS: \d+ passed, 0 failed/);
  const report = JSON.parse(await readFile(files[0]!, 'utf8')) as Report;
  t.deepEqual(
    report.cases.map((item) => item.id),
    CASE_IDS,
  );
  t.true(report.cases.every((item) => item.group === 'oauth'));
  // Not a failure, a warning or a skip: the reference server is the example to follow.
  t.deepEqual(
    report.cases.filter((item) => item.status !== 'passed'),
    [],
  );
  t.is(report.cases.find((item) => item.id === 'oauth.pkce')!.severity, 'informational');
  t.regex(report.cases.find((item) => item.id === 'oauth.state-unique')!.source, /RFC 6749/);
  // Nothing the run handled as a secret is in any report or in what it printed.
  const everything = [
    outcome.stdout,
    ...(await Promise.all(files.map((f) => readFile(f, 'utf8')))),
  ];
  for (const text of everything) {
    t.false(text.includes(CLIENT_SECRET));
    t.false(text.includes(ADMIN_TOKEN));
    t.notRegex(text, /canary-[0-9a-f]{48}/, 'no issued access token');
    t.notRegex(text, /[?&](code|state)=(?!\[)/, 'codes and states appear only redacted');
  }
  t.regex(everything[2]!, /<testsuites name="heap-oauth-conformance"/);
  t.regex(everything[3]!, /Heap OAuth connect-flow conformance: <span class="verdict-pass">PASS/);
});

test('with the browser hidden the core checks still pass, the browser checks say they were skipped', async (t) => {
  const partner = await startPartner(t);
  const json = path.join(partner.dir, 'report.json');
  // The success text stands in for the inspection API here.
  const outcome = await runOAuth(
    [...coreFlags(partner), '--success-text', 'Heap connected', '--json', json],
    { CHROMIUM_PATH: '/nonexistent/chromium' },
  );
  t.is(outcome.code, 0, outcome.stdout + outcome.stderr);
  t.regex(outcome.stdout, /Browser checks skipped: no Chromium at \/nonexistent\/chromium/);
  t.regex(outcome.stdout, /Notice: browser checks skipped/);
  t.regex(outcome.stdout, /Connections seen through the success text/);
  const report = JSON.parse(await readFile(json, 'utf8')) as Report;
  t.deepEqual(
    report.cases.filter((item) => item.status === 'skipped').map((item) => item.id),
    BROWSER_ONLY,
  );
  t.is(report.summary.failed, 0);
  t.regex(
    report.cases.find((item) => item.id === 'oauth.metadata-escaped')!.message,
    /not checked: no browser/,
  );
});

const setupProblems: [string, (partner: Partner) => string[], RegExp][] = [
  [
    'a missing flag',
    (partner) =>
      coreFlags(partner).filter(
        (flag, index, all) => flag !== '--start-url' && all[index - 1] !== '--start-url',
      ),
    /--start-url is required/,
  ],
  [
    'an unreachable start URL',
    (partner) => {
      const flags = coreFlags(partner);
      flags[2] = 'http://127.0.0.1:9/api/authorize';
      return flags;
    },
    /cannot reach the start URL http:\/\/127\.0\.0\.1:9\/api\/authorize: connection refused/,
  ],
  [
    'a start URL that does not redirect to the provider',
    (partner) => {
      const flags = coreFlags(partner);
      flags[2] = `${partner.url}/`;
      return flags;
    },
    /does not redirect to the provider at http:\/\/127\.0\.0\.1:\d+ .*HEAP_BASE_URL=/,
  ],
  [
    'a redirect_uri other than the registered one',
    (partner) => {
      const flags = coreFlags(partner);
      flags[flags.indexOf('--redirect-uri') + 1] = `${partner.url}/another/callback`;
      return flags;
    },
    /authorize request was refused: redirect_uri ".*\/api\/oauth_redirect" is not the registered one/,
  ],
  [
    'a report path that cannot be written',
    (partner) => [...coreFlags(partner), '--json', path.join(partner.dir, 'missing', 'r.json')],
    /cannot write the report --json .*the directory .* does not exist/,
  ],
];

test('setup problems end the run with exit 2 and one line saying what to fix', async (t) => {
  const partner = await startPartner(t);
  for (const [name, flags, want] of setupProblems) {
    const outcome = await runOAuth(flags(partner), { CHROMIUM_PATH: '/nonexistent/chromium' });
    t.is(outcome.code, 2, `${name}: ${outcome.stdout}${outcome.stderr}`);
    const lines = outcome.stderr.trim().split('\n');
    t.is(lines.length, 1, `${name}: ${outcome.stderr}`);
    t.regex(lines[0]!, want, name);
    t.notRegex(outcome.stderr, /\bat .*\.ts:\d+/, `${name}: no stack trace`);
  }
});

/** Runs the connect-flow run against a defective client and returns its JSON report. */
async function runAgainstDefective(
  t: { teardown(fn: () => unknown): void },
  flaws: readonly Flaw[],
  extra: string[] = [],
  pkce = false,
) {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'oauth-defective-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const providerPort = await freePort();
  const client = await startDefectiveClient({
    heapUrl: `http://127.0.0.1:${providerPort}`,
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    flaws,
    pkce,
  });
  t.teardown(() => client.close());
  const json = path.join(dir, 'report.json');
  const outcome = await runOAuth([
    'oauth',
    '--start-url',
    `${client.url}/start`,
    '--provider-port',
    String(providerPort),
    '--client-id',
    CLIENT_ID,
    '--redirect-uri',
    client.redirectUri,
    '--success-text',
    SUCCESS_TEXT,
    '--timeout',
    '5000',
    '--json',
    json,
    ...extra,
  ]);
  const report = JSON.parse(await readFile(json, 'utf8')) as Report;
  const status = (id: string) => report.cases.find((item) => item.id === id)?.status;
  return { outcome, report, status };
}

test('a correct client passes, and Heap reference app flaws fail the cases that name them', async (t) => {
  const correct = await runAgainstDefective(t, [], ['--no-browser'], true);
  t.is(correct.outcome.code, 0, correct.outcome.stdout);
  t.is(correct.report.summary.failed, 0);
  t.regex(
    correct.report.cases.find((item) => item.id === 'oauth.pkce')!.message,
    /PKCE sent: code_challenge_method S256; the token request carries the matching code_verifier/,
  );

  const { outcome, report, status } = await runAgainstDefective(t, referenceAppFlaws);
  t.is(outcome.code, 1, outcome.stdout + outcome.stderr);
  for (const id of [
    'oauth.state-unique',
    'oauth.state-altered',
    'oauth.state-missing',
    'oauth.state-other-browser',
    'oauth.access-denied',
    'oauth.metadata-escaped',
  ]) {
    t.is(status(id), 'failed', id);
  }
  t.is(status('oauth.token-type-case'), 'warning');
  t.is(status('oauth.genuine-flow'), 'passed');
  t.is(status('oauth.token-in-url'), 'passed');
  t.regex(outcome.stdout, /state is the same in every flow: it is a constant, not a CSRF token/);
  t.regex(outcome.stdout, /the callback throws on error=access_denied/);
  t.false(outcome.stdout.includes('heap-reference-state'), 'the constant state is redacted too');
  t.true(report.diagnoses.length > 0);
});

test('a client that sends the access token in the metadata URL fails oauth.token-in-url', async (t) => {
  const { outcome, status } = await runAgainstDefective(t, ['token-in-url'], ['--no-browser']);
  t.is(outcome.code, 1, outcome.stdout);
  t.is(status('oauth.token-in-url'), 'failed');
  t.regex(outcome.stdout, /carries the access token in its query \(access_token\)/);
});

test('INTERPRETING.md lists every connect-flow case with its severity and source, as the run has them', async (t) => {
  const text = await readFile(path.join(projectRoot, 'conformance/INTERPRETING.md'), 'utf8');
  const section = text.slice(text.indexOf('## OAuth connect flow'));
  const documented = [
    ...section.matchAll(/^\| `(oauth\.[a-z-]+)` *\| (\w+) *\| ([^|]+?) *\|/gm),
  ].map((match) => [match[1], match[2], match[3]]);
  t.deepEqual(
    documented,
    oauthCases.map((item) => [item.id, item.severity, SOURCE_NAMES[item.source]]),
  );
  t.deepEqual(
    oauthCases.map((item) => item.id),
    CASE_IDS,
  );
});

test('heap-sync conformance oauth is the same run: its help, and a bad flag exits 2 in one line', async (t) => {
  const help = await runCli('scripts/cli/heapSync.ts', ['conformance', 'oauth', '--help']);
  t.is(help.code, 0, help.stderr);
  t.regex(help.stdout, /heap-sync conformance oauth/);
  t.regex(help.stdout, /--provider-port N/);
  const bad = await runCli('scripts/cli/heapSync.ts', [
    'conformance',
    'oauth',
    '--start-url',
    'http://127.0.0.1:9/',
    '--redirect-uri',
    'http://127.0.0.1:9/callback',
    '--provider-port',
    'seventy',
  ]);
  t.is(bad.code, 2);
  t.is(bad.stderr.trim().split('\n').length, 1, bad.stderr);
  t.regex(bad.stderr, /--provider-port must be a whole number from 1 to 65535 \(got "seventy"\)/);
});
