// The `examples` group replays every payload of the fidelity corpus: a must for the shapes Heap's
// production sender sends, a should (with what a refusal costs) for the rest.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import test from 'ava';
import { corpusBytesFor, fidelityCorpus, verifyHeapHash } from '../../spec/src/index.ts';
import { runCli } from '../../support/testing/runCli.ts';
import { testCaseContext } from './helpers/testCaseContext.ts';
import { exampleCases } from '../src/cases/exampleCases.ts';

const corpus = fidelityCorpus();
const cases = exampleCases();

const context = testCaseContext({
  url: 'http://127.0.0.1:1/sync',
  drainUrl: 'http://127.0.0.1:1/drain',
  secret: 'corpus-secret',
  idToken: 'partner-account',
  now: () => 1_700_000_000_000,
  largePageSize: 10,
});

test('one case per corpus entry, expecting 2xx: a must only for what Heap sends customers', (t) => {
  for (const entry of corpus) {
    const conformanceCase = cases.find((item) => item.id === `examples.corpus-${entry.name}`);
    if (!conformanceCase) return t.fail(`no case for ${entry.name}`);
    const production = entry.producedBy === 'production' && entry.idToken === 'present';
    t.is(conformanceCase.severity, production ? 'must' : 'should', entry.name);
    // A should says what a refusal costs; a must needs no excuse.
    t.is(conformanceCase.cost === undefined, production, entry.name);
    t.is(conformanceCase.group, 'examples');
    t.like(conformanceCase.expect, { must: 'accepted' });
  }
  t.is(cases.filter((item) => item.id.startsWith('examples.corpus-')).length, corpus.length);
});

test("each corpus case sends the entry's bytes, with --id-token, signed, to its action's URL", (t) => {
  for (const entry of corpus) {
    const conformanceCase = cases.find((item) => item.id === `examples.corpus-${entry.name}`)!;
    const steps = conformanceCase.batches(context).flat();
    t.is(steps.length, 1);
    const delivery = steps[0]!.build(context);
    t.deepEqual(delivery.body, corpusBytesFor(entry, context.idToken));
    t.is(
      delivery.url,
      entry.action === 'segment.users.drain' ? context.drainUrl : context.url,
      entry.name,
    );
    const verified = verifyHeapHash({
      rawBody: delivery.body,
      header: delivery.headers['heap-hash'],
      secrets: [context.secret],
      now: context.now(),
    });
    t.true(verified.ok, entry.name);
  }
});

test('drains come after every sync, so they do not empty what a reader looks at', (t) => {
  const firstDrain = cases.findIndex((item) => /drain/.test(item.id));
  t.true(firstDrain > 0);
  t.false(cases.slice(firstDrain).some((item) => !/drain/.test(item.id)));
});

test('the reference server passes every corpus case', async (t) => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'corpus-cases-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const jsonFile = path.join(dir, 'report.json');
  const outcome = await runCli('conformance/src/cli.ts', [
    '--only',
    'examples',
    '--json',
    jsonFile,
  ]);
  t.is(outcome.code, 0, outcome.stdout + outcome.stderr);
  const report = JSON.parse(await readFile(jsonFile, 'utf8')) as {
    cases: { id: string; status: string }[];
  };
  const corpusResults = report.cases.filter((item) => item.id.startsWith('examples.corpus-'));
  t.is(corpusResults.length, corpus.length);
  t.deepEqual(
    corpusResults.filter((item) => item.status !== 'passed'),
    [],
  );
});
