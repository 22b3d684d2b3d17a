// The payload builders: shaped like Heap's samples, and each payload its own object.
import test from 'ava';
import { drainPayload, sampleCustomerConfig, syncPagePayload } from '../src/webhookPayloads.ts';

const page = () =>
  syncPagePayload({
    idToken: 'acct',
    segment: { id: 1, name: 'One' },
    syncTaskId: 'task',
    pageNumber: 1,
    totalPages: 1,
    add: ['a'],
  });

test('a field added to one built payload does not leak into the next or the sample', (t) => {
  const first = page();
  first.customer_config.fields.push({ field_id: 'identity', field_type: 'identity_mapping' });
  const drain = drainPayload({ idToken: 'acct', segment: { id: 1, name: 'One' } });
  drain.customer_config.fields.push({ field_id: 'extra' });
  t.deepEqual(page().customer_config, sampleCustomerConfig);
  t.is(sampleCustomerConfig.fields?.length, 1);
});

test("built payloads carry Heap's sample customer_config and the account", (t) => {
  const built = page();
  t.is(built.id_token, 'acct');
  t.deepEqual(
    built.customer_config.fields.map((field) => field.field_id),
    ['workspace'],
  );
});
