// The unknown-account probe against simulated answers: a refusal with the contract's error body
// passes, one without it is warned, an acceptance is warned, a 5xx fails; members stored under the
// refused account fail it.
import test from 'ava';
import type { OutgoingDelivery } from '../../spec/src/index.ts';
import { unknownAccountCase } from '../src/cases/unknownAccountCase.ts';
import type { Exchange } from '../src/delivery/webhookDelivery.ts';
import type { InspectionClient } from '../src/runner/inspectionClient.ts';
import { testCaseContext } from './helpers/testCaseContext.ts';

const context = testCaseContext({ unknownIdToken: 'nobody-connected', segmentId: 9 });

const answering =
  (status: number, responseBody: string) =>
  (request: OutgoingDelivery): Promise<Exchange> =>
    Promise.resolve({
      ok: true,
      request,
      status,
      responseHeaders: {},
      responseBody,
      durationMs: 1,
    });

const storing = (members: string[]): InspectionClient => ({
  members: () => Promise.resolve(members),
  get: () => Promise.reject(new Error('not used')),
});

const probe = unknownAccountCase('sync').probe!;

for (const [name, status, body, inspection, verdict, message] of [
  [
    'a 403 with an error body',
    403,
    '{"error":"unknown_account"}',
    storing([]),
    'pass',
    /^refused with 403; nothing stored/,
  ],
  [
    'a 400 in plain text',
    400,
    'Invalid id_token',
    storing([]),
    'warn',
    /without the recommended JSON \{"error": "\.\.\."\} body/,
  ],
  [
    'an empty error code',
    403,
    '{"error":""}',
    null,
    'warn',
    /members not verified \(no --inspect-url\); but without/,
  ],
  ['an acceptance', 200, '{}', storing([]), 'warn', /^answered 200 .*Invalid id_token/],
  ['a 500', 500, '{"error":"boom"}', storing([]), 'fail', /answered 500 .*Heap retries/],
  [
    'a refusal stored anyway',
    403,
    '{"error":"x"}',
    storing(['a', 'b']),
    'fail',
    /yet the inspection API lists 2 members/,
  ],
] as const) {
  test(`${name}: ${verdict}`, async (t) => {
    const outcome = await probe(context, answering(status, body), inspection);
    t.is(outcome.verdict, verdict, outcome.message);
    t.regex(outcome.message, message);
    t.is(outcome.exchanges.length, 1);
    t.regex(
      outcome.exchanges[0]!.exchange.request.body.toString(),
      /"id_token":"nobody-connected"/,
    );
  });
}

test('the drain case sends a drain for the unknown account to the drain URL, and judges it alike', async (t) => {
  const drainContext = testCaseContext({
    unknownIdToken: 'nobody-connected',
    segmentId: 9,
    drainUrl: 'http://127.0.0.1:1/drain',
  });
  const drain = unknownAccountCase('drain');
  t.is(drain.id, 'drain.unknown-account-refused');
  t.is(drain.group, 'drain');
  const refused = await drain.probe!(
    drainContext,
    answering(400, '{"error":"Invalid id_token"}'),
    storing([]),
  );
  t.is(refused.verdict, 'pass', refused.message);
  const request = refused.exchanges[0]!.exchange.request;
  t.is(request.url, 'http://127.0.0.1:1/drain');
  t.regex(request.body.toString(), /"action_type":"segment\.users\.drain"/);
  t.regex(request.body.toString(), /"id_token":"nobody-connected"/);
  const accepted = await drain.probe!(drainContext, answering(204, ''), storing([]));
  t.is(accepted.verdict, 'warn');
  t.regex(accepted.message, /^answered 204 to a drain for the account --unknown-id-token names/);
});
