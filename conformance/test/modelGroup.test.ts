// The `model` group judged from outside: the reference server passes it; a partner with one
// membership defect each is failed by the group alone, with a seed that replays the failure; each
// defect is also failed by a named case when the group is left out.
import test from 'ava';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../../support/testing/runCli.ts';
import { startFixturePartner, type Flaw } from './fixtures/fixturePartner.ts';

const secret = 'model-group-secret';
/**
 * A budget that keeps each run short while every defect below is still found: fast-check stops at
 * the first failure, so the many runs cost only against a partner that has none.
 */
const BUDGET = ['--model-runs', '150', '--model-steps', '15', '--model-large-drain', '1500'];
const SMALL_BUDGET = ['--model-runs', '30', '--model-steps', '15', '--model-large-drain', '1500'];

let workDir: string;
test.before(async () => {
  workDir = await mkdtemp(path.join(os.tmpdir(), 'model-group-'));
});
test.after.always(() => rm(workDir, { recursive: true, force: true }));

interface Report {
  cases: { id: string; status: string; message: string }[];
}

let runs = 0;
async function conformance(args: string[]) {
  const jsonFile = path.join(workDir, `run-${++runs}.json`);
  const outcome = await runCli('conformance/src/cli.ts', [...args, '--json', jsonFile], {
    timeoutMs: 300_000,
  });
  const report =
    outcome.code === 2 ? null : (JSON.parse(await readFile(jsonFile, 'utf8')) as Report);
  const caseOf = (id: string) => report?.cases.find((item) => item.id === id);
  const failed = report?.cases.filter((item) => item.status === 'failed').map((item) => item.id);
  return { ...outcome, caseOf, failed: failed ?? [] };
}

async function partnerWith(flaws: Flaw[], t: { teardown(fn: () => Promise<void>): void }) {
  const partner = await startFixturePartner({ secret, flaws });
  t.teardown(() => partner.close());
  return [
    '--url',
    partner.syncUrl,
    '--drain-url',
    partner.drainUrl,
    '--secret',
    secret,
    '--inspect-url',
    partner.inspectUrl,
  ];
}

test('the reference server passes the model group, which prints its seed', async (t) => {
  const outcome = await conformance(['--only', 'model', ...SMALL_BUDGET]);
  t.is(outcome.code, 0, outcome.stdout);
  const result = outcome.caseOf('model.random-sequences');
  t.is(result?.status, 'passed');
  t.regex(result?.message ?? '', /30 random sequences .* matched the model after every step/);
  t.regex(result?.message ?? '', /replay: --only model --seed -?\d+/);
});

test('a correct partner passes the model group and every named membership case', async (t) => {
  const outcome = await conformance([
    ...(await partnerWith([], t)),
    '--only',
    'model,sync,drain',
    '--large-page-size',
    '500',
    ...SMALL_BUDGET,
  ]);
  t.is(outcome.code, 0, outcome.stdout);
  t.deepEqual(outcome.failed, []);
});

test('without an inspection API the model group is skipped with its reason', async (t) => {
  const args = (await partnerWith([], t)).slice(0, 6);
  const outcome = await conformance([...args, '--only', 'model']);
  t.is(outcome.code, 0, outcome.stdout);
  t.is(outcome.caseOf('model.random-sequences')?.status, 'skipped');
  t.regex(outcome.caseOf('model.random-sequences')?.message ?? '', /--inspect-url/);
});

const defects: [Flaw, string][] = [
  ['drain-first-1000', 'drain.large-segment'],
  ['drain-whole-account', 'drain.leaves-other-segments'],
  ['normalised-ids', 'sync.distinct-ids-kept'],
  ['drain-every-account', 'drain.other-account'],
  ['arrival-order', 'sync.late-page-of-older-sync'],
  ['reapplied-redelivery', 'sync.redelivery-after-newer-sync'],
];

for (const [flaw, namedCase] of defects) {
  test(`the model group alone fails "${flaw}", and its printed seed replays the failure`, async (t) => {
    const partner = await partnerWith([flaw], t);
    const first = await conformance([...partner, '--only', 'model', ...BUDGET]);
    t.is(first.code, 1, first.stdout);
    const message = first.caseOf('model.random-sequences')?.message ?? '';
    t.regex(message, /members differ from the model/);
    t.regex(message, /minimal sequence \(\d+ deliveries/);
    t.regex(message, /\n1\. /);
    const replay = /replay: --only model --seed (-?\d+) --model-path (\S+)/.exec(message);
    t.truthy(replay, message);
    const again = await conformance([
      ...partner,
      '--only',
      'model',
      ...BUDGET,
      '--seed',
      replay![1]!,
      '--model-path',
      replay![2]!,
    ]);
    t.is(again.code, 1, again.stdout);
    const replayed = again.caseOf('model.random-sequences')?.message ?? '';
    // The same minimal sequence fails the same way (on the fresh segment ids of the new run).
    const shape = (text: string) =>
      text
        .split('\nreplay:')[0]!
        .replace(/\d{6,}/g, 'N')
        .replace(/shrunk \d+ times/, '');
    t.is(shape(replayed), shape(message));
  });

  test(`without the model group, "${flaw}" fails ${namedCase}`, async (t) => {
    const outcome = await conformance([
      ...(await partnerWith([flaw], t)),
      '--only',
      'sync,drain',
      '--large-page-size',
      '500',
    ]);
    t.is(outcome.code, 1, outcome.stdout);
    t.true(outcome.failed.includes(namedCase), `failed: ${outcome.failed.join(', ')}`);
  });
}

test('model flags are checked', async (t) => {
  for (const args of [
    ['--seed', 'abc'],
    ['--model-path', '1:2'],
    ['--model-runs', '0'],
    ['--second-id-token', '7a36ae58-c4b9-11eb-8529-0242ac130003'],
  ]) {
    const outcome = await runCli('conformance/src/cli.ts', args);
    t.is(outcome.code, 2, args.join(' '));
    t.regex(outcome.stderr, /^conformance: --/, args.join(' '));
  }
});
