// The severity policy of conformance/INTERPRETING.md is the suite's: its table of cases matches each
// case's severity and source, and the cases the policy names are `should`.
import test from 'ava';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { projectRoot } from '../../support/src/projectRoot.ts';
import { allCases } from '../src/cases/allCases.ts';
import { SOURCE_NAMES } from '../src/cases/caseTypes.ts';

async function documentedCases(): Promise<Map<string, { severity: string; source: string }>> {
  const text = await readFile(path.join(projectRoot, 'conformance/INTERPRETING.md'), 'utf8');
  const table = text.slice(text.indexOf('## Every case'), text.indexOf('## Effects'));
  const rows = new Map<string, { severity: string; source: string }>();
  for (const match of table.matchAll(/^\| `([a-z-]+\.[a-z0-9-]+)` *\| (\w+) *\| ([^|]+?) *\|/gm)) {
    rows.set(match[1]!, { severity: match[2]!, source: match[3]! });
  }
  return rows;
}

test('INTERPRETING.md gives every case its severity and source, as the suite has them', async (t) => {
  const documented = await documentedCases();
  const cases = allCases();
  for (const item of cases) {
    // The spec's own request examples are one sentence of the document, not rows.
    if (item.group === 'examples' && !item.id.startsWith('examples.corpus-')) {
      t.is(item.severity, 'must', item.id);
      t.is(item.source, 'heap-spec', item.id);
      continue;
    }
    t.deepEqual(
      documented.get(item.id),
      { severity: item.severity, source: SOURCE_NAMES[item.source] },
      item.id,
    );
  }
  const ids = new Set(cases.map((item) => item.id));
  t.deepEqual(
    [...documented.keys()].filter((id) => !ids.has(id)),
    [],
    'documented cases that do not exist',
  );
});

const legitimateDifferences: [string, string][] = [
  ['signature.duplicate-keys', 'a strict partner refuses a repeated key, a lenient one does not'],
  ['signature.keys-reversed', 'another key order'],
  ['signature.no-comma', 'a loose header format with a genuine hmac'],
  ['signature.hex-hmac', 'a hex digest needs the secret as much as Base64'],
  ['sync.absent-lists', 'no payload Heap has published omits the lists'],
  ['signature.clock-fast', 'a narrow future tolerance'],
  [
    'examples.corpus-reference-app-sync-without-id-token',
    "only Heap's test script sends a sync naming no account",
  ],
  [
    'examples.corpus-reference-app-sync-empty-id-token',
    "only Heap's test script sends an empty id_token",
  ],
  [
    'examples.corpus-reference-app-drain-without-id-token',
    "a drain naming no account comes from Heap's test tools",
  ],
  ['examples.corpus-heap-spec-customer-config-empty', "Heap's own app refuses it"],
  ['examples.corpus-heap-spec-customer-config-absent', "Heap's own app refuses it"],
  ['examples.corpus-developer-hub-sample-segment', "only the Developer Hub's sample sends it"],
];

for (const [id, why] of legitimateDifferences) {
  test(`${id} is at most a should: ${why}`, (t) => {
    const item = allCases().find((candidate) => candidate.id === id);
    t.is(item?.severity, 'should');
  });
}
