// Signature verification: a known-answer vector, every failure mode, and the tolerated variations.
import test from 'ava';
import {
  DEFAULT_TOLERANCE,
  computeHeapHmac,
  parseHeapHash,
  signHeapHash,
  verifyHeapHash,
  type HeapHashFailureCode,
} from '../src/heapHash.ts';

const secret = 'known-answer-secret';
const body = '{"action_type":"segment.users.drain"}';
const ts = 1_700_000_000_000;

test('known-answer vector: fixed secret, timestamp and body give a fixed header', (t) => {
  // Computed independently: printf '%s%s' "$ts" "$body" | openssl dgst -sha256 -hmac "$secret" -binary | base64
  t.is(
    signHeapHash({ rawBody: body, secret, timestamp: ts }),
    'ts:1700000000000,hmac:/4OnjqxEASEafsK3BxdPNDwLAzw/UJz31qULuxAdrH4=',
  );
});

const hmacOf = (text: string, at = ts, key = secret) =>
  computeHeapHmac(key, String(at), text).toString('base64');
const good = `ts:${ts},hmac:${hmacOf(body)}`;

const failures: [
  string,
  { header: string | undefined; now?: number; rawBody?: string; want: HeapHashFailureCode },
][] = [
  ['no header', { header: undefined, want: 'missing_header' }],
  ['an empty header', { header: '  ', want: 'missing_header' }],
  ['no comma', { header: `ts:${ts}hmac:${hmacOf(body)}`, want: 'malformed_header' }],
  ['a pair without a colon', { header: `ts:${ts},${hmacOf(body)}`, want: 'malformed_header' }],
  ['no ts', { header: `hmac:${hmacOf(body)}`, want: 'malformed_header' }],
  ['no hmac', { header: `ts:${ts}`, want: 'malformed_header' }],
  ['a repeated ts', { header: `ts:${ts},ts:${ts},hmac:${hmacOf(body)}`, want: 'malformed_header' }],
  ['a repeated hmac', { header: `${good},hmac:${hmacOf(body)}`, want: 'malformed_header' }],
  ['a non-numeric ts', { header: `ts:abc,hmac:${hmacOf(body)}`, want: 'bad_timestamp' }],
  ['a negative ts', { header: `ts:-5,hmac:${hmacOf(body)}`, want: 'bad_timestamp' }],
  ['a fractional ts', { header: `ts:${ts}.5,hmac:${hmacOf(body)}`, want: 'bad_timestamp' }],
  ['a non-Base64 hmac', { header: `ts:${ts},hmac:not*base64!`, want: 'malformed_header' }],
  ['an empty hmac', { header: `ts:${ts},hmac:`, want: 'malformed_header' }],
  [
    'a truncated hmac',
    { header: `ts:${ts},hmac:${hmacOf(body).slice(0, 20)}`, want: 'signature_mismatch' },
  ],
  [
    'a hex digest instead of Base64',
    {
      header: `ts:${ts},hmac:${computeHeapHmac(secret, String(ts), body).toString('hex')}`,
      want: 'signature_mismatch',
    },
  ],
  [
    'the wrong secret',
    { header: `ts:${ts},hmac:${hmacOf(body, ts, 'other')}`, want: 'signature_mismatch' },
  ],
  [
    'a body changed after signing',
    { header: good, rawBody: body.replace('drain', 'sync'), want: 'signature_mismatch' },
  ],
  [
    'a ts changed after signing',
    { header: `ts:${ts + 1},hmac:${hmacOf(body)}`, want: 'signature_mismatch' },
  ],
  [
    'a stale timestamp',
    { header: good, now: ts + DEFAULT_TOLERANCE.pastMs + 1, want: 'stale_timestamp' },
  ],
  [
    'a far-future timestamp',
    { header: good, now: ts - DEFAULT_TOLERANCE.futureMs - 1, want: 'future_timestamp' },
  ],
  [
    'a timestamp in seconds',
    {
      header: `ts:${ts / 1000},hmac:${computeHeapHmac(secret, String(ts / 1000), body).toString('base64')}`,
      want: 'stale_timestamp',
    },
  ],
];

for (const [name, { header, now = ts, rawBody = body, want }] of failures) {
  test(`refused: ${name} -> ${want}`, (t) => {
    const result = verifyHeapHash({ rawBody, header, secrets: [secret], now });
    t.false(result.ok);
    if (result.ok) return;
    t.is(result.code, want);
    t.false(result.message.includes(hmacOf(rawBody)), 'the expected hmac is never echoed');
    t.false(result.message.includes(secret));
  });
}

test('a seconds timestamp gets a hint about milliseconds', (t) => {
  const header = `ts:${ts / 1000},hmac:${computeHeapHmac(secret, String(ts / 1000), body).toString('base64')}`;
  const result = verifyHeapHash({ rawBody: body, header, secrets: [secret], now: ts });
  t.regex(result.ok ? '' : result.message, /looks like seconds/);
});

const accepted: [string, { header: string; now?: number; secrets?: string[]; index?: number }][] = [
  ['the canonical header', { header: good }],
  ['hmac before ts', { header: `hmac:${hmacOf(body)},ts:${ts}` }],
  ['whitespace around keys and values', { header: ` ts : ${ts} ,  hmac:${hmacOf(body)} ` }],
  ['unknown keys', { header: `v:2,ts:${ts},kid:abc:def,hmac:${hmacOf(body)}` }],
  ['upper-case keys', { header: `TS:${ts},HMAC:${hmacOf(body)}` }],
  ['a timestamp exactly at the past limit', { header: good, now: ts + DEFAULT_TOLERANCE.pastMs }],
  ['a sender clock 5 s fast', { header: good, now: ts - 5000 }],
  [
    'a rotated secret list where the second matches',
    { header: good, secrets: ['new-secret', secret], index: 1 },
  ],
];

for (const [name, { header, now = ts, secrets = [secret], index = 0 }] of accepted) {
  test(`accepted: ${name}`, (t) => {
    t.deepEqual(verifyHeapHash({ rawBody: body, header, secrets, now }), {
      ok: true,
      timestamp: ts,
      secretIndex: index,
    });
  });
}

test('verification covers the bytes received: a re-serialised body does not verify', (t) => {
  const pretty = JSON.stringify(JSON.parse(body), null, 2);
  const header = signHeapHash({ rawBody: pretty, secret, timestamp: ts });
  t.true(verifyHeapHash({ rawBody: Buffer.from(pretty), header, secrets: [secret], now: ts }).ok);
  t.false(
    verifyHeapHash({
      rawBody: JSON.stringify(JSON.parse(pretty)),
      header,
      secrets: [secret],
      now: ts,
    }).ok,
  );
});

test('only the first colon of a pair separates key and value', (t) => {
  const parsed = parseHeapHash(`ts:${ts},hmac:${hmacOf(body)},note:a:b`);
  t.true(parsed.ok);
});

test('verifying with no secret is a programming error', (t) => {
  t.throws(() => verifyHeapHash({ rawBody: body, header: good, secrets: [], now: ts }));
});
