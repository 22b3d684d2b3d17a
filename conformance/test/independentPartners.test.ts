// The suite against correct partners written independently of the reference server (Express,
// Fastify, Python's standard library): each must be certified, exit 0, with its effects verified
// through its inspection API. Each partner's own traits are checked directly; the HMAC-leaking
// fixture really leaks, and the suite fails it on the signing oracle alone; a partner behaving as
// Heap's reference app is failed on exactly its real flaws.
import test from 'ava';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { request } from 'undici';
import {
  bodyBytes,
  computeHeapHmac,
  drainPayload,
  signHeapHash,
  syncPagePayload,
} from '../../spec/src/index.ts';
import { runCli } from '../../support/testing/runCli.ts';
import { startExpressPartner } from './fixtures/expressPartner.ts';
import { startFastifyPartner } from './fixtures/fastifyPartner.ts';
import { startHeapReferenceAppPartner } from './fixtures/heapReferenceAppPartner.ts';
import { startHmacLeakingPartner } from './fixtures/hmacLeakingPartner.ts';
import { pythonSkipReason, startPythonPartner } from './fixtures/pythonPartner.ts';

const secret = 'independent-partner-secret';
const inspectToken = 'independent-inspect-token';
/** An account connected to the partner that checks id_token (not the suite's default). */
const connectedAccount = 'c0ffee00-1234-4abc-8def-0123456789ab';

let workDir: string;
test.before(async () => {
  workDir = await mkdtemp(path.join(os.tmpdir(), 'independent-partners-'));
});
test.after.always(() => rm(workDir, { recursive: true, force: true }));

interface Report {
  summary: { passed: number; failed: number; warnings: number; skipped: number };
  cases: { id: string; status: string; message: string; likelyCause?: string }[];
}

interface Target {
  url: string;
  drainUrl: string;
  inspectUrl: string;
  close(): Promise<void>;
}

/** `npm run conformance` against a target, with its inspection API if any; outcome and report. */
async function certify(
  target: { url: string; drainUrl: string; inspectUrl?: string },
  name: string,
  extraArgs: readonly string[] = [],
) {
  const jsonFile = path.join(workDir, `${name}.json`);
  const outcome = await runCli('conformance/src/cli.ts', [
    '--url',
    target.url,
    '--drain-url',
    target.drainUrl,
    '--secret',
    secret,
    ...(target.inspectUrl
      ? ['--inspect-url', target.inspectUrl, '--inspect-token', inspectToken]
      : []),
    '--large-page-size',
    '500',
    // The model group has tests of its own (modelGroup.test.ts); here it runs small.
    '--model-runs',
    '10',
    '--model-large-drain',
    '1500',
    '--json',
    jsonFile,
    ...extraArgs,
  ]);
  const report = JSON.parse(await readFile(jsonFile, 'utf8')) as Report;
  return { ...outcome, report };
}

interface Partner {
  name: string;
  start(): Promise<Target>;
  /** Flags the partner's operator would give the suite (such as its connected account). */
  certifyArgs?: string[];
  /** The answers that make it unlike the reference server. */
  answers: {
    accepted: number;
    badSignature: number;
    invalidPayload: number;
    eightMinutesOld: number;
    unknownAccount: number;
    /** A delivery without an id_token, or with an empty one (Heap's test script, the Hub's sample). */
    noAccount: 'acknowledged' | number;
  };
}

/** An Express partner that looks every delivery's account up and refuses the rest like this. */
function accountCheckingExpress(status: number, error: string, why: string): Partner {
  return {
    name: `Express 5 that refuses deliveries for no connected account with ${status} ${error} (${why})`,
    async start() {
      const partner = await startExpressPartner({
        secret,
        inspectToken,
        connectedAccounts: [connectedAccount, 'trait-account'],
        accountRefusal: { status, error },
      });
      return { ...partner, url: partner.webhookUrl, drainUrl: partner.webhookUrl };
    },
    certifyArgs: ['--id-token', connectedAccount],
    answers: {
      accepted: 204,
      badSignature: 403,
      invalidPayload: 400,
      eightMinutesOld: 403,
      unknownAccount: status,
      noAccount: status,
    },
  };
}

const partners: Partner[] = [
  {
    name: 'Express 5 with express.raw, one route, 204 answers',
    async start() {
      const partner = await startExpressPartner({ secret, inspectToken });
      return { ...partner, url: partner.webhookUrl, drainUrl: partner.webhookUrl };
    },
    answers: {
      accepted: 204,
      badSignature: 403,
      invalidPayload: 400,
      eightMinutesOld: 403,
      unknownAccount: 204,
      noAccount: 'acknowledged',
    },
  },
  accountCheckingExpress(403, 'unknown_account', 'the suite recommends 403'),
  accountCheckingExpress(400, 'Invalid id_token', "as Heap's reference app advises"),
  accountCheckingExpress(401, 'unauthorized', 'an unknown caller'),
  accountCheckingExpress(422, 'unknown account', 'an unprocessable account'),
  {
    name: "Fastify 5 with a raw-body parser, Heap's two routes, 401 for bad signatures",
    async start() {
      const partner = await startFastifyPartner({ secret, inspectToken });
      return { ...partner, url: partner.syncUrl };
    },
    answers: {
      accepted: 200,
      badSignature: 401,
      invalidPayload: 400,
      eightMinutesOld: 401,
      unknownAccount: 200,
      noAccount: 'acknowledged',
    },
  },
  {
    name: 'Python standard library, a 10-minute window, 422 for invalid payloads',
    async start() {
      const partner = await startPythonPartner({ secret, inspectToken });
      return { ...partner, url: partner.webhookUrl, drainUrl: partner.webhookUrl };
    },
    answers: {
      accepted: 200,
      badSignature: 403,
      invalidPayload: 422,
      eightMinutesOld: 200,
      unknownAccount: 200,
      noAccount: 'acknowledged',
    },
  },
];

const pythonSkip = pythonSkipReason();

/** Posts `body` signed with `secret` at `timestamp`; the status and the body of the answer. */
async function post(
  url: string,
  body: Buffer,
  options: { secret?: string; timestamp?: number; header?: string } = {},
) {
  const header =
    options.header ??
    signHeapHash({
      rawBody: body,
      secret: options.secret ?? secret,
      timestamp: options.timestamp ?? Date.now(),
    });
  const answer = await request(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'heap-hash': header },
    body,
  });
  return { status: answer.statusCode, text: await answer.body.text() };
}

async function membersOf(target: Target, idToken: string, segmentId: number, token = inspectToken) {
  const answer = await request(
    `${target.inspectUrl}/segments/${encodeURIComponent(idToken)}/${segmentId}/members`,
    {
      headers: { authorization: `Bearer ${token}` },
    },
  );
  const text = await answer.body.text();
  return {
    status: answer.statusCode,
    members: answer.statusCode === 200 ? (JSON.parse(text) as { members: string[] }).members : [],
  };
}

for (const { name, start, answers } of partners) {
  if (pythonSkip && name.startsWith('Python')) continue;
  const traits = `accepted ${answers.accepted}, bad signature ${answers.badSignature}, invalid payload ${answers.invalidPayload}, 8 minutes old ${answers.eightMinutesOld}, unknown account ${answers.unknownAccount}, no account ${answers.noAccount}`;
  test(`${name}: answers ${traits}, stores what it takes`, async (t) => {
    const target = await start();
    t.teardown(() => target.close());
    const idToken = 'trait-account';
    const page = (users: string[], segmentId = 41, syncTaskId = 'trait-task') =>
      syncPagePayload({
        idToken,
        segment: { id: segmentId, name: 'Traits' },
        syncTaskId,
        pageNumber: 1,
        totalPages: 1,
        add: users,
      });
    const accepted = bodyBytes(page(['kept@example.com']));
    t.is((await post(target.url, accepted)).status, answers.accepted);
    t.is(
      (await post(target.url, accepted, { secret: 'another-secret' })).status,
      answers.badSignature,
    );
    const forged = bodyBytes(page(['forged@example.com']));
    t.is(
      (await post(target.url, forged, { secret: 'another-secret' })).status,
      answers.badSignature,
    );
    // A page of its own: a partner applies each page once, so reusing the first page's key would
    // test its deduplication instead of its window.
    const stale = bodyBytes(page(['late@example.com'], 41, 'late-task'));
    t.is(
      (await post(target.url, stale, { timestamp: Date.now() - 8 * 60_000 })).status,
      answers.eightMinutesOld,
    );
    // A strict regex: a repeated key, a leading "+" or a seconds timestamp is not Heap-Hash.
    const hmac = computeHeapHmac(secret, String(Date.now()), forged).toString('base64');
    for (const header of [
      `ts:${Date.now()},hmac:${hmac},hmac:${hmac}`,
      `ts:+${Date.now()},hmac:${hmac}`,
      signHeapHash({ rawBody: forged, secret, timestamp: Math.floor(Date.now() / 1000) }),
    ]) {
      t.is((await post(target.url, forged, { header })).status, answers.badSignature, header);
    }
    const invalid = page(['x@example.com']) as unknown as {
      data: { sync_info: { page_number: unknown } };
    };
    invalid.data.sync_info.page_number = 'one';
    t.is((await post(target.url, bodyBytes(invalid))).status, answers.invalidPayload);
    const members = await membersOf(target, idToken, 41);
    t.deepEqual(
      members.members,
      answers.eightMinutesOld < 300
        ? ['kept@example.com', 'late@example.com']
        : ['kept@example.com'],
    );
    t.is((await membersOf(target, idToken, 41, 'wrong-token')).status, 401);

    const stranger = { ...page(['stranger@example.com']), id_token: 'not-connected' };
    t.is((await post(target.url, bodyBytes(stranger))).status, answers.unknownAccount);
    // What Heap's own test sender sends: no id_token, no customer_config; a drain likewise.
    const noAccount = (status: number) =>
      answers.noAccount === 'acknowledged' ? status < 300 : status === answers.noAccount;
    const bare = page(['bare@example.com'], 42) as unknown as Record<string, unknown>;
    delete bare.id_token;
    delete bare.customer_config;
    t.true(noAccount((await post(target.url, bodyBytes(bare))).status));
    t.true(noAccount((await post(target.url, bodyBytes({ ...bare, id_token: '' }))).status));
    const drain = bodyBytes(drainPayload({ idToken, segment: { id: 41, name: 'Traits' } }));
    t.true((await post(target.drainUrl, drain)).status < 300);
    const bareDrain = drainPayload({
      idToken,
      segment: { id: 42, name: 'Traits' },
    }) as unknown as Record<string, unknown>;
    delete bareDrain.id_token;
    t.true(noAccount((await post(target.drainUrl, bodyBytes(bareDrain))).status));
    t.deepEqual((await membersOf(target, idToken, 41)).members, []);
  });
}

/** The cases whose delivery names no account: a partner may refuse them, warned of the cost. */
const noAccountCases = [
  'examples.corpus-reference-app-sync-without-id-token',
  'examples.corpus-reference-app-sync-empty-id-token',
  'examples.corpus-reference-app-drain-without-id-token',
];

for (const { name, start, certifyArgs, answers } of partners) {
  const title = `the suite certifies a correct partner: ${name}`;
  if (pythonSkip && name.startsWith('Python')) {
    test.skip(`${title} (${pythonSkip})`, () => {});
    continue;
  }
  test(title, async (t) => {
    const target = await start();
    t.teardown(() => target.close());
    const outcome = await certify(target, name.replace(/\W+/g, '-').toLowerCase(), certifyArgs);
    const failed = outcome.report.cases.filter((item) => item.status === 'failed');
    t.deepEqual(
      failed.map((item) => `${item.id}: ${item.message}`),
      [],
    );
    t.is(outcome.code, 0, outcome.stdout + outcome.stderr);
    if (answers.noAccount !== 'acknowledged') {
      for (const id of noAccountCases) {
        const result = outcome.report.cases.find((item) => item.id === id);
        t.is(result?.status, 'warning', id);
        t.regex(result?.message ?? '', /Send sample segment" shows a failed delivery/, id);
      }
    }
    // Effects were read back from the partner's own store, not assumed.
    t.regex(outcome.stdout, /Effects verified through http:\/\/127\.0\.0\.1:\d+\/admin/);
    t.true(
      outcome.report.cases.filter((item) => /members verified/.test(item.message)).length >= 10,
    );
  });
}

test('the suite fails the HMAC-leaking partner on the signing oracle, and on nothing else', async (t) => {
  const partner = await startHmacLeakingPartner({ secret });
  t.teardown(() => partner.close());
  const outcome = await certify(
    { url: partner.webhookUrl, drainUrl: partner.webhookUrl },
    'hmac-leaking',
  );
  t.is(outcome.code, 1, outcome.stdout + outcome.stderr);
  const oracle = outcome.report.cases.find((item) => item.id === 'signature.signing-oracle');
  t.is(oracle?.status, 'failed');
  t.regex(oracle?.message ?? '', /signing oracle/);
  // Every failure is the leak, seen from another case.
  for (const item of outcome.report.cases.filter((result) => result.status === 'failed')) {
    t.regex(item.message, /signing oracle/, item.id);
  }
});

test('the HMAC-leaking partner hands out the valid signature of a forged delivery in its 403', async (t) => {
  const partner = await startHmacLeakingPartner({ secret });
  t.teardown(() => partner.close());
  const body = Buffer.from('{"action_type":"segment.users.drain","data":{"segment":{"id":1}}}');
  const ts = String(Date.now());
  const forged = computeHeapHmac('not-the-secret', ts, body).toString('base64');
  const answer = await request(partner.webhookUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'heap-hash': `ts:${ts},hmac:${forged}` },
    body,
  });
  const text = await answer.body.text();
  t.is(answer.statusCode, 403);
  const valid = computeHeapHmac(secret, ts, body).toString('base64');
  t.is(text, `Invalid hmac. Received: ${forged}, Computed: ${valid}`);
  // Replaying the leaked signature is accepted: the answer is an oracle.
  const replay = await request(partner.webhookUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'heap-hash': `ts:${ts},hmac:${valid}` },
    body,
  });
  await replay.body.dump();
  t.is(replay.statusCode, 200);
});

test('without python3 the Python partner is a visible skip locally, and not skipped in CI', (t) => {
  const missing = '/nonexistent/python3';
  t.regex(pythonSkipReason({}, missing) ?? '', /\/nonexistent\/python3 not found/);
  t.is(pythonSkipReason({ CI: 'true' }, missing), null);
});

test("a partner behaving as Heap's reference app answers as Heap's app does", async (t) => {
  const partner = await startHeapReferenceAppPartner({ secret, connectedAccounts: ['acct-1'] });
  t.teardown(() => partner.close());
  const sync = syncPagePayload({
    idToken: 'acct-1',
    segment: { id: 7, name: 'Reference' },
    syncTaskId: 'task',
    pageNumber: 1,
    totalPages: 1,
    add: ['a@example.com'],
  });
  t.is((await post(partner.syncUrl, bodyBytes(sync))).status, 200);
  t.is((await post(partner.drainUrl, bodyBytes(sync))).status, 405);
  // parseInt reads a ts with trailing garbage; the HMAC covers the text as sent.
  const ts = `${Date.now()}x`;
  const hmac = computeHeapHmac(secret, ts, bodyBytes(sync)).toString('base64');
  t.is(
    (await post(partner.syncUrl, bodyBytes(sync), { header: `ts:${ts},hmac:${hmac}` })).status,
    200,
  );
  // Pretty-printed bytes are refused: it verifies JSON.stringify of the parsed body.
  t.is((await post(partner.syncUrl, Buffer.from(JSON.stringify(sync, null, 2)))).status, 403);
  t.like(await post(partner.syncUrl, bodyBytes({ ...sync, id_token: 'stranger' })), {
    status: 400,
    text: 'Invalid id_token',
  });
  const withoutConfig: Record<string, unknown> = { ...sync };
  delete withoutConfig.customer_config;
  t.like(await post(partner.syncUrl, bodyBytes(withoutConfig)), {
    status: 400,
    text: 'Invalid data format: Customer config fields were not specified',
  });
  const drain = drainPayload({ idToken: 'acct-1', segment: { id: 7, name: 'Reference' } });
  const selfDrain: Record<string, unknown> = { ...drain };
  delete selfDrain.id_token;
  t.is((await post(partner.drainUrl, bodyBytes(selfDrain))).status, 200);
  t.is((await post(partner.drainUrl, bodyBytes({ ...drain, id_token: 'stranger' }))).status, 400);
  t.is(
    (await post(partner.syncUrl, bodyBytes(sync), { timestamp: Date.now() + 5_000 })).status,
    403,
  );
  t.is(
    (await post(partner.syncUrl, bodyBytes(sync), { timestamp: Date.now() - 90_000 })).status,
    403,
  );
  const forged = await post(partner.syncUrl, bodyBytes(sync), { secret: 'not-the-secret' });
  t.is(forged.status, 403);
  t.regex(forged.text, /^Invalid hmac\. Received: \S+, Computed: \S+$/);
});

/** What the suite must fail Heap's reference app on: its signing oracle and its re-serialisation. */
const referenceAppFlaws = {
  'signing oracle': [
    'signature.missing-hmac',
    'signature.wrong-secret',
    'signature.body-changed',
    'signature.truncated-hmac',
    'signature.hex-hmac',
    'signature.signing-oracle',
    'drain.bad-signature',
  ],
  're-serialisation': ['signature.pretty-printed', 'signature.escaped-unicode'],
};

test("the suite fails a partner behaving as Heap's reference app on its real flaws only", async (t) => {
  const partner = await startHeapReferenceAppPartner({ secret, connectedAccounts: ['acct-1'] });
  t.teardown(() => partner.close());
  const outcome = await certify(
    { url: partner.syncUrl, drainUrl: partner.drainUrl },
    'heap-reference-app',
    ['--id-token', 'acct-1'],
  );
  t.is(outcome.code, 1, outcome.stdout + outcome.stderr);
  const byId = new Map(outcome.report.cases.map((item) => [item.id, item]));
  t.deepEqual(
    outcome.report.cases
      .filter((item) => item.status === 'failed')
      .map((item) => item.id)
      .sort(),
    Object.values(referenceAppFlaws).flat().sort(),
  );
  for (const id of referenceAppFlaws['signing oracle']) {
    t.regex(byId.get(id)?.message ?? '', /signing oracle/, id);
  }
  for (const id of referenceAppFlaws['re-serialisation']) {
    t.regex(byId.get(id)?.likelyCause ?? '', /re-serialisation of the parsed JSON/, id);
  }
  // What Heap's own app does and Heap backs is warned, with what it costs.
  for (const id of [
    ...noAccountCases.slice(0, 2),
    'examples.corpus-heap-spec-customer-config-empty',
    'examples.corpus-heap-spec-customer-config-absent',
    'signature.clock-fast',
    'signature.ts-trailing-garbage',
    'sync.absent-lists',
  ]) {
    t.is(byId.get(id)?.status, 'warning', id);
  }
  t.regex(
    byId.get('examples.corpus-heap-spec-customer-config-empty')?.message ?? '',
    /Customer config fields were not specified.*every payload Heap has published carries fields/,
  );
  // Its drain without an id_token belongs to its own environment: acknowledged.
  t.is(byId.get('examples.corpus-reference-app-drain-without-id-token')?.status, 'passed');
});
