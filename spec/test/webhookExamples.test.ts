// Every named example in webhook_spec.yaml validates; payloads that break the contract do not.
import test from 'ava';
import { classifyDelivery, webhookExamples, webhookValidator } from '../src/webhookContract.ts';
import { readSpec, specFiles } from '../src/specFiles.ts';

const examples = webhookExamples();

test('the spec names an example for every variant a partner meets', (t) => {
  t.deepEqual(examples.map((example) => example.name).sort(), [
    'add_only_page',
    'drain',
    'identity_mapping_config',
    'last_page_of_multi_page_sync',
    'mixed_page',
    'non_ascii_user_ids',
    'remove_only_page',
  ]);
});

for (const example of examples) {
  test(`example ${example.name} validates against HeapWebhook and its own action's schema`, (t) => {
    t.deepEqual(webhookValidator().validate('HeapWebhook', example.value), { ok: true });
    const classified = classifyDelivery(example.value);
    t.is(classified.kind, example.name === 'drain' ? 'drain' : 'sync');
  });
}

test('the examples carry what their names promise', (t) => {
  const byName = new Map(examples.map((example) => [example.name, example.value]));
  const sync = (name: string) => {
    const value = byName.get(name);
    if (value?.action_type !== 'segment.users.sync') throw new Error(`${name} is not a sync`);
    return value.data;
  };
  t.true((sync('add_only_page').add ?? []).length > 0);
  t.is((sync('add_only_page').remove ?? []).length, 0);
  t.is((sync('remove_only_page').add ?? []).length, 0);
  t.true((sync('mixed_page').add ?? []).length > 0 && (sync('mixed_page').remove ?? []).length > 0);
  const last = sync('last_page_of_multi_page_sync').sync_info;
  t.true(last.total_pages > 1 && last.page_number === last.total_pages);
  t.true(
    (byName.get('identity_mapping_config')?.customer_config?.fields ?? []).some(
      (field) => field.field_type === 'identity_mapping',
    ),
  );
  t.true((sync('non_ascii_user_ids').add ?? []).some((user) => /[^ -~]/.test(user.id)));
});

test('the Heap-Hash example matches the header pattern', (t) => {
  const header = readSpec(specFiles.webhook).components.parameters?.HeapHash as {
    schema: { pattern: string };
    example: string;
  };
  const pattern = new RegExp(header.schema.pattern);
  t.true(pattern.test(header.example));
  t.false(
    pattern.test('ts:1700000000,hmac:abc'),
    'a seconds timestamp and short hmac do not match',
  );
});

const mixed = examples.find((example) => example.name === 'mixed_page')!.value;
const drain = examples.find((example) => example.name === 'drain')!.value;

/** Returns a copy of `value` with the property at `path` deleted or replaced. */
function edit(value: unknown, path: (string | number)[], replacement?: unknown): unknown {
  const copy = structuredClone(value) as Record<string | number, unknown>;
  let node = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  const last = path[path.length - 1]!;
  if (replacement === undefined) delete node[last];
  else node[last] = replacement;
  return copy;
}

const invalidPayloads: [string, { given: unknown; want: string }][] = [
  [
    'sync without sync_task_id',
    {
      given: edit(mixed, ['data', 'sync_info', 'sync_task_id']),
      want: 'data.sync_info.sync_task_id: is required',
    },
  ],
  [
    'sync without sync_info',
    { given: edit(mixed, ['data', 'sync_info']), want: 'data.sync_info: is required' },
  ],
  [
    'sync with a page number as a string',
    {
      given: edit(mixed, ['data', 'sync_info', 'page_number'], '1'),
      want: 'data.sync_info.page_number: must be integer',
    },
  ],
  [
    'sync with page number 0',
    {
      given: edit(mixed, ['data', 'sync_info', 'page_number'], 0),
      want: 'data.sync_info.page_number: must be >= 1',
    },
  ],
  [
    'sync with total_pages 0',
    {
      given: edit(mixed, ['data', 'sync_info', 'total_pages'], 0),
      want: 'data.sync_info.total_pages: must be >= 1',
    },
  ],
  [
    'sync with page_number beyond total_pages',
    {
      given: edit(mixed, ['data', 'sync_info', 'page_number'], 6),
      want: 'data.sync_info.page_number: 6 is beyond total_pages 5',
    },
  ],
  [
    'sync without action_type',
    {
      given: edit(mixed, ['action_type']),
      want: 'action_type: is required and must be a string',
    },
  ],
  [
    'sync without a segment id',
    { given: edit(mixed, ['data', 'segment', 'id']), want: 'data.segment.id: is required' },
  ],
  [
    'sync with a user without id',
    { given: edit(mixed, ['data', 'add', 0, 'id']), want: 'data.add.0.id: is required' },
  ],
  [
    'sync with an empty user id',
    {
      given: edit(mixed, ['data', 'remove', 0, 'id'], ''),
      want: 'data.remove.0.id: must NOT have fewer than 1 characters',
    },
  ],
  [
    'sync with an empty sync_task_id',
    {
      given: edit(mixed, ['data', 'sync_info', 'sync_task_id'], ''),
      want: 'data.sync_info.sync_task_id: must NOT have fewer than 1 characters',
    },
  ],
  [
    'sync with a numeric user id',
    { given: edit(mixed, ['data', 'add', 0, 'id'], 42), want: 'data.add.0.id: must be string' },
  ],
  [
    'drain without a segment id',
    { given: edit(drain, ['data', 'segment', 'id']), want: 'data.segment.id: is required' },
  ],
  [
    'drain with a fractional segment id',
    {
      given: edit(drain, ['data', 'segment', 'id'], 1.5),
      want: 'data.segment.id: must be integer',
    },
  ],
  ['a JSON array', { given: [mixed], want: 'body: must be a JSON object' }],
];

/** What Heap may omit (its spec requires nothing): each is still a valid delivery. */
const acceptedOmissions: [string, { given: unknown; kind: 'sync' | 'drain' }][] = [
  ['sync without id_token', { given: edit(mixed, ['id_token']), kind: 'sync' }],
  ['sync with an empty id_token', { given: edit(mixed, ['id_token'], ''), kind: 'sync' }],
  ['sync without customer_config', { given: edit(mixed, ['customer_config']), kind: 'sync' }],
  [
    'sync with customer_config {}',
    { given: edit(mixed, ['customer_config', 'fields']), kind: 'sync' },
  ],
  [
    'sync without data.segment.name',
    { given: edit(mixed, ['data', 'segment', 'name']), kind: 'sync' },
  ],
  [
    'sync without add and remove',
    { given: edit(edit(mixed, ['data', 'add']), ['data', 'remove']), kind: 'sync' },
  ],
  [
    'sync with a field without field_id, field_type or value',
    {
      given: edit(mixed, ['customer_config', 'fields', 0], { field_display_name: 'x' }),
      kind: 'sync',
    },
  ],
  [
    'sync with a field_type other than identity_mapping',
    {
      given: edit(mixed, ['customer_config', 'fields', 0, 'field_type'], 'audience'),
      kind: 'sync',
    },
  ],
  // One code point, two UTF-16 code units; and a lone surrogate, one code unit and no character.
  [
    'sync with a user id of one emoji',
    { given: edit(mixed, ['data', 'add', 0, 'id'], '😀'), kind: 'sync' },
  ],
  [
    'sync with a user id of a lone surrogate',
    { given: edit(mixed, ['data', 'add', 0, 'id'], '\ud800'), kind: 'sync' },
  ],
  [
    'sync with page_number equal to total_pages',
    { given: edit(mixed, ['data', 'sync_info', 'page_number'], 5), kind: 'sync' },
  ],
  ['drain without id_token', { given: edit(drain, ['id_token']), kind: 'drain' }],
  ['drain without customer_config', { given: edit(drain, ['customer_config']), kind: 'drain' }],
  [
    'drain without data.segment.name',
    { given: edit(drain, ['data', 'segment', 'name']), kind: 'drain' },
  ],
];

for (const [name, { given, kind }] of acceptedOmissions) {
  test(`valid: ${name}`, (t) => {
    t.is(classifyDelivery(given).kind, kind, JSON.stringify(classifyDelivery(given)));
    t.deepEqual(webhookValidator().validate('HeapWebhook', given), { ok: true });
  });
}

for (const [name, { given, want }] of invalidPayloads) {
  test(`invalid: ${name}`, (t) => {
    const classified = classifyDelivery(given);
    t.deepEqual(classified, { kind: 'invalid', errors: [want] });
    // Only classifyDelivery knows how page_number relates to total_pages; JSON Schema cannot say it.
    const schemaCanSay = !want.includes('is beyond total_pages');
    if (!Array.isArray(given)) {
      t.is(webhookValidator().validate('HeapWebhook', given).ok, !schemaCanSay);
    }
  });
}

test('an unknown action type is recognised, not rejected', (t) => {
  const classified = classifyDelivery({ action_type: 'segment.users.rename', id_token: 'abc' });
  t.deepEqual(classified, {
    kind: 'unknown_action',
    actionType: 'segment.users.rename',
    idToken: 'abc',
  });
});

test('unknown fields are allowed, as Heap may add some', (t) => {
  t.is(classifyDelivery(edit(mixed, ['data', 'cursor'], 'next')).kind, 'sync');
});
