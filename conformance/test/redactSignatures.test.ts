// What the report redactor keeps and removes: URLs the run certified stay readable, even where a
// port and path or a path segment look like a digest; signatures and secrets never survive.
import test from 'ava';
import { redactSignatures } from '../src/reporters/redactSignatures.ts';

const secret = 'redactor-secret';
const digest = 'q83vEjRWeJq83vEjRWeJq83vEjRWeJq83vEjRWeJq80=';

const kept: [string, string][] = [
  ['a loopback URL with a port and a path', 'http://127.0.0.1:3000/webhooks/heap'],
  [
    'a host name, a long path and a trailing slash',
    'https://partner.example:8443/api/v1/heap/hooks/',
  ],
  ['a drain route', 'http://localhost:3000/users_drain'],
];

for (const [name, url] of kept) {
  test(`keeps ${name} intact`, (t) => {
    t.is(redactSignatures(`Target ${url}`), `Target ${url}`);
    t.is(
      redactSignatures(`sample: sent POST ${url}\n  received 200`),
      `sample: sent POST ${url}\n  received 200`,
    );
  });
}

test('the URL the run certified is kept even where a path segment looks like a digest', (t) => {
  const target = 'http://127.0.0.1:3100/hooks/a1B2c3D4e5F6g7H8i9J0k1L2';
  t.is(redactSignatures(`Target ${target}`, [], [target]), `Target ${target}`);
  // Another URL keeps its origin; a segment shaped like a digest is judged like any text.
  t.is(
    redactSignatures(`Location: ${target}`),
    'Location: http://127.0.0.1:3100/hooks/[redacted digest]',
  );
});

test('a signature next to a URL is still redacted', (t) => {
  const text = `sent POST http://127.0.0.1:3000/webhooks/heap\n  Computed: ${digest}`;
  t.is(
    redactSignatures(text),
    'sent POST http://127.0.0.1:3000/webhooks/heap\n  Computed: [redacted digest]',
  );
});

test('a digest or a secret inside a URL query is redacted', (t) => {
  const text = `http://127.0.0.1:3000/hook?sig=${digest}&key=${secret}`;
  const redacted = redactSignatures(text, [secret]);
  t.false(redacted.includes(digest.slice(0, 14)));
  t.false(redacted.includes(secret));
  t.true(redacted.startsWith('http://127.0.0.1:3000/hook?sig='));
});

test('a secret in a URL path is redacted', (t) => {
  t.is(
    redactSignatures(`http://127.0.0.1:3000/hooks/${secret}`, [secret]),
    'http://127.0.0.1:3000/hooks/[secret]',
  );
});

test('a digest glued to a URL by a partner message is not let through as a path', (t) => {
  // A URL ends at whitespace or a quote; a digest after it is text like any other.
  const redacted = redactSignatures(`"http://127.0.0.1:3000/x" ${digest}`);
  t.false(redacted.includes(digest.slice(0, 14)));
});
