// Answers that hand out the valid HMAC (Base64, unpadded, base64url or hex) or the secret are found;
// answers that only echo what was sent, or say nothing, are not.
import test from 'ava';
import { computeHeapHmac } from '../../spec/src/index.ts';
import type { Exchange } from '../src/delivery/webhookDelivery.ts';
import { signingOracleLeak } from '../src/runner/signingOracleLeak.ts';

const secret = 'oracle-test-secret';
const body = Buffer.from('{"action_type":"segment.users.sync"}');
const ts = '1764000000000';
const valid = computeHeapHmac(secret, ts, body);
const forgedHmac = computeHeapHmac('another-secret', ts, body).toString('base64');

function answered(responseBody: string, headers: Record<string, string> = {}): Exchange {
  return {
    ok: true,
    request: {
      url: 'http://127.0.0.1:1/hook',
      body,
      headers: { 'heap-hash': `ts:${ts},hmac:${forgedHmac}` },
    },
    status: 403,
    responseHeaders: headers,
    responseBody,
    durationMs: 1,
  };
}

const table: [string, { answer: Exchange; want: RegExp | null }][] = [
  [
    "Heap's reference app message (Base64)",
    {
      answer: answered(
        `Invalid hmac. Received: ${forgedHmac}, Computed: ${valid.toString('base64')}`,
      ),
      want: /valid for this delivery \(Base64\): a signing oracle/,
    },
  ],
  [
    'the hex digest',
    { answer: answered(`expected ${valid.toString('hex')}`), want: /\(hex\): a signing oracle/ },
  ],
  [
    'the upper-case hex digest',
    { answer: answered(`expected ${valid.toString('hex').toUpperCase()}`), want: /\(hex\)/ },
  ],
  [
    'base64url in a header',
    {
      answer: answered('{"error":"bad"}', { 'x-expected': valid.toString('base64url') }),
      want: /signing oracle/,
    },
  ],
  ['the secret', { answer: answered(`secret is ${secret}`), want: /contains the webhook secret/ }],
  ['an echo of the hmac sent', { answer: answered(`Received: ${forgedHmac}`), want: null }],
  ['a plain error', { answer: answered('{"error":"signature_mismatch"}'), want: null }],
];

for (const [name, { answer, want }] of table) {
  test(`signing oracle: ${name}`, (t) => {
    const leak = signingOracleLeak(answer, secret);
    if (want === null) t.is(leak, null);
    else t.regex(leak ?? '', want);
  });
}

test('a leak report never contains the leaked value', (t) => {
  const leak = signingOracleLeak(answered(`Computed: ${valid.toString('base64')}`), secret);
  t.truthy(leak);
  t.false(leak!.includes(valid.toString('base64')));
});
