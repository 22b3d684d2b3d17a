// The pure pieces of the connect-flow run, table-driven: the state entropy estimate, the cookie
// jar, the altered state, the canary's markup check and the redaction of known values.
import test from 'ava';
import { redactValues } from '../src/reporters/redactSignatures.ts';
import { CookieJar } from '../src/oauth/cookieJar.ts';
import { reveals } from '../src/oauth/flowEvidence.ts';
import { canaryMarkupIn, metadataCanary } from '../src/oauth/metadataCanary.ts';
import { apparentEntropyBits } from '../src/oauth/stateEntropy.ts';
import { alteredState } from '../src/oauth/testProvider.ts';
import { escapeHtml } from '../../support/src/escapeHtml.ts';

const entropy: [string, { given: string[]; atLeast: number; below: number }][] = [
  [
    '32 Base64url characters',
    {
      given: ['Qk3x9_aZ-0pLm2NbVc7RtYu1IoP4sD8e', 'x0b9Kq_Lm3ZzPa1Rt7YuVc2NsD8eQk4I'],
      atLeast: 190,
      below: 193,
    },
  ],
  [
    '32 hex characters: 128 bits',
    {
      given: ['0f3a9c7e11b24d5a8e6f7a9b0c1d2e3f', 'a1b2c3d4e5f60718293a4b5c6d7e8f90'],
      atLeast: 128,
      below: 129,
    },
  ],
  [
    'a shared prefix does not count',
    { given: ['session-0001', 'session-0002'], atLeast: 0, below: 4 },
  ],
  ['digits only', { given: ['12345678', '87654321'], atLeast: 26, below: 27 }],
];

for (const [name, { given, atLeast, below }] of entropy) {
  test(`state entropy: ${name}`, (t) => {
    const bits = Math.min(...apparentEntropyBits(given));
    t.true(bits >= atLeast && bits < below, `${bits}`);
  });
}

test('the cookie jar keeps cookies per host and path, replaces by name and forgets expired ones', (t) => {
  let now = 1_000_000;
  const jar = new CookieJar(() => now);
  jar.store('http://127.0.0.1:3000/api/authorize', [
    'state=abc; Path=/api/oauth_redirect; HttpOnly',
    'session=s1; Path=/',
  ]);
  // Without a Path, a cookie's path is the directory of the address that set it.
  jar.store('http://127.0.0.1:3000/api/short/set', ['short=x; Max-Age=10']);
  t.is(jar.headerFor('http://127.0.0.1:3000/api/oauth_redirect?code=c'), 'state=abc; session=s1');
  t.is(
    jar.headerFor('http://127.0.0.1:3000/api/oauth_redirect/connected'),
    'state=abc; session=s1',
  );
  t.is(jar.headerFor('http://127.0.0.1:3000/api/oauth_redirectx'), 'session=s1');
  t.is(
    jar.headerFor('http://127.0.0.1:4000/api/oauth_redirect'),
    'state=abc; session=s1',
    'ports share cookies',
  );
  t.is(jar.headerFor('http://localhost:3000/'), null, 'another host');
  t.is(
    jar.headerFor('http://127.0.0.1:3000/api/short'),
    'short=x; session=s1',
    'longer paths first',
  );
  now += 11_000;
  t.is(jar.headerFor('http://127.0.0.1:3000/api/short'), 'session=s1');
  jar.store('http://127.0.0.1:3000/api/oauth_redirect', [
    'state=; Path=/api/oauth_redirect; Expires=Thu, 01 Jan 1970 00:00:00 GMT',
    'session=s2; Path=/',
  ]);
  t.is(jar.headerFor('http://127.0.0.1:3000/api/oauth_redirect'), 'session=s2');
});

test('an altered state has the same length and differs in every character', (t) => {
  for (const state of ['abc', 'Qk3x9_aZ-0pLm2NbVc7RtYu1IoP4sD8e', 'zzzz9999']) {
    const altered = alteredState(state);
    t.is(altered.length, state.length);
    t.true(
      [...altered].every((char, index) => char !== state[index]),
      altered,
    );
  }
});

test('the canary is found raw in HTML or JSON.stringify of the metadata, and not once escaped', (t) => {
  const canary = metadataCanary('m1');
  const metadata = JSON.stringify({ authorized_by: canary });
  t.is(canaryMarkupIn(`<pre>${metadata}</pre>`, 'm1'), 'a raw <script> element');
  t.is(canaryMarkupIn(`<dd>${canary}</dd>`, 'm1'), 'a raw <script> element');
  t.is(canaryMarkupIn(`<dd>${escapeHtml(canary)}</dd>`, 'm1'), null);
  t.is(canaryMarkupIn(`<pre>${escapeHtml(metadata)}</pre>`, 'm1'), null);
  t.is(canaryMarkupIn(`<dd>${canary}</dd>`, 'another'), null, 'another flow’s marker');
});

test('a token is found as is, percent-encoded and Base64-encoded, and only there', (t) => {
  const token = '0b4f5d2e-1111-4222-8333-944455556666';
  t.true(reveals(`x ${token} y`, token));
  t.true(reveals(`q=${encodeURIComponent(`["s","${token}"]`)}`, token));
  t.true(reveals(Buffer.from(JSON.stringify(['s', token])).toString('base64url'), token));
  t.false(reveals(Buffer.from(JSON.stringify(['s', 'digest'])).toString('base64url'), token));
});

test('known values are redacted with their label, the longest first, also percent-encoded', (t) => {
  const values = [
    { value: 'code-123456', label: '[code]' },
    { value: 'code-123456-and-more', label: '[access token]' },
    { value: 'st/a+te=1', label: '[state]' },
    { value: 'short', label: '[never]' },
  ];
  t.is(
    redactValues('a code-123456-and-more b code-123456 c st%2Fa%2Bte%3D1 d short', values),
    'a [access token] b [code] c [state] d short',
  );
});
