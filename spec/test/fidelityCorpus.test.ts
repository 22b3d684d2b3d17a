// The fidelity corpus: complete, exact wire bytes, and valid against the contract.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import test from 'ava';
import { corpusBytesFor, corpusDir, fidelityCorpus } from '../src/fidelityCorpus.ts';
import { classifyDelivery, webhookValidator } from '../src/webhookContract.ts';

const corpus = fidelityCorpus();
const parse = (bytes: Buffer) => JSON.parse(bytes.toString('utf8')) as Record<string, unknown>;

test('the index lists every payload file, and every listed file exists', (t) => {
  const onDisk = readdirSync(path.join(corpusDir, 'payloads'))
    .map((file) => `payloads/${file}`)
    .sort();
  t.deepEqual(corpus.map((entry) => entry.file).sort(), onDisk);
});

test('the corpus covers both actions, with and without id_token, from Heap spec and app', (t) => {
  const has = (action: string, idToken: string) =>
    corpus.some((entry) => entry.action === action && entry.idToken === idToken);
  t.true(has('segment.users.sync', 'present'));
  t.true(has('segment.users.sync', 'absent'));
  t.true(has('segment.users.sync', 'empty'));
  t.true(has('segment.users.drain', 'present'));
  t.true(has('segment.users.drain', 'absent'));
  t.deepEqual([...new Set(corpus.map((entry) => entry.source))].sort(), [
    'heap-described',
    'heap-reference-app',
    'heap-spec',
  ]);
});

for (const entry of corpus) {
  test(`${entry.name}: compact JSON.stringify bytes, as Heap's tools send`, (t) => {
    t.is(entry.bytes.toString('utf8'), JSON.stringify(parse(entry.bytes)));
  });

  test(`${entry.name}: valid against the contract as a ${entry.action}`, (t) => {
    const payload = parse(entry.bytes);
    t.is(payload.action_type, entry.action);
    t.deepEqual(webhookValidator().validate('HeapWebhook', payload), { ok: true });
    const classified = classifyDelivery(payload);
    t.is(classified.kind, entry.action === 'segment.users.sync' ? 'sync' : 'drain');
  });

  test(`${entry.name}: its id_token is ${entry.idToken}, as the index says`, (t) => {
    const payload = parse(entry.bytes);
    t.is('id_token' in payload, entry.idToken !== 'absent');
    if (entry.idToken !== 'absent') t.is(typeof payload.id_token, 'string');
    t.is(payload.id_token === '', entry.idToken === 'empty');
  });

  test(`${entry.name}: replaying for another account changes only a present id_token`, (t) => {
    const replayed = corpusBytesFor(entry, 'acct-123').toString('utf8');
    const original = entry.bytes.toString('utf8');
    if (entry.idToken === 'present') {
      const token = parse(entry.bytes).id_token as string;
      t.is(replayed, original.replace(`"id_token":"${token}"`, '"id_token":"acct-123"'));
      t.not(replayed, original);
    } else {
      t.is(replayed, original);
    }
  });
}

const byName = new Map(corpus.map((entry) => [entry.name, parse(entry.bytes)]));

test("key order is the sender's: id_token first in a sync, appended last in a drain", (t) => {
  t.deepEqual(Object.keys(byName.get('reference-app-sync')!), [
    'id_token',
    'action_type',
    'customer_config',
    'data',
  ]);
  t.deepEqual(Object.keys(byName.get('reference-app-drain')!), [
    'action_type',
    'customer_config',
    'data',
    'id_token',
  ]);
  t.deepEqual(Object.keys(byName.get('reference-app-sync')!.data as object), [
    'segment',
    'sync_info',
    'remove',
    'add',
  ]);
});
