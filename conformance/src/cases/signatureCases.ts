// `signature`: forged, broken and replayed signatures are refused; genuine ones whose bytes differ
// from JSON.stringify are accepted.
import {
  bodyBytes,
  computeHeapHmac,
  signHeapHash,
  type OutgoingDelivery,
} from '../../../spec/src/index.ts';
import type {
  AnswerExpectation,
  CaseContext,
  CaseSource,
  ConformanceCase,
  Severity,
} from './caseTypes.ts';
import { membersAsModelled, signedTo, syncPageFor, users } from './requestBuilders.ts';
import { replayWindowCase } from './replayWindowCase.ts';
import { signingOracleCase } from './signingOracleCase.ts';

const SPEC_REF =
  'webhook_spec.yaml#/info/description (Signing rule) and #/components/parameters/HeapHash';
const refused: AnswerExpectation = { must: 'refused', should: { status: 403, errorBody: true } };

/** The case's sync page: two users, so that a wrongly accepted delivery shows in the store. */
function pageBody(context: CaseContext): Buffer {
  return bodyBytes(
    syncPageFor(context, {
      taskId: context.newSyncTaskId(),
      page: 1,
      of: 1,
      add: users('sig', 2, context),
    }),
  );
}

/** A delivery of the case's page with a Heap-Hash made by `header` from the real pieces. */
function withHeader(
  context: CaseContext,
  header: (parts: { ts: string; hmac: string; body: Buffer }) => string | null,
  body: Buffer = pageBody(context),
): OutgoingDelivery {
  const ts = String(context.now());
  const hmac = computeHeapHmac(context.secret, ts, body).toString('base64');
  const value = header({ ts, hmac, body });
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (value !== null) headers['heap-hash'] = value;
  return { url: context.url, body, headers };
}

function refusal(
  name: string,
  title: string,
  build: (context: CaseContext) => OutgoingDelivery,
  severity: Severity = 'must',
  source: CaseSource = 'heap-spec',
): ConformanceCase {
  return {
    id: `signature.${name}`,
    group: 'signature',
    title,
    severity,
    specRef: SPEC_REF,
    source,
    batches: () => [[{ label: name, build }]],
    expect: refused,
    expectMembers: membersAsModelled,
  };
}

function acceptance(
  name: string,
  title: string,
  severity: Severity,
  source: CaseSource,
  serialise: (payload: object) => string,
  options: {
    shiftMs?: number;
    header?: (ts: string, hmac: string) => string;
    /** The step's label, which failure messages start with (default: the case's name). */
    label?: string;
  } = {},
): ConformanceCase {
  const ids = (context: CaseContext) => [
    `zoë.${context.segmentId}@exämple.com`,
    `山田.${context.segmentId}@例え.jp`,
    `plain.${context.segmentId}@example.com`,
  ];
  return {
    id: `signature.${name}`,
    group: 'signature',
    title,
    severity,
    specRef: SPEC_REF,
    source,
    batches: () => [
      [
        {
          label: options.label ?? name,
          build: (context) => {
            const payload = syncPageFor(context, {
              taskId: context.newSyncTaskId(),
              page: 1,
              of: 1,
              add: ids(context),
            });
            const body = Buffer.from(serialise(payload), 'utf8');
            const delivery = signedTo(context.url, body, context, {
              shiftMs: options.shiftMs,
            });
            if (options.header) {
              const [tsPart, hmacPart] = delivery.headers['heap-hash']!.split(',');
              delivery.headers['heap-hash'] = options.header(tsPart!.slice(3), hmacPart!.slice(5));
            }
            return delivery;
          },
        },
      ],
    ],
    expect: { must: 'accepted' },
    expectMembers: membersAsModelled,
  };
}

const escapeNonAscii = (text: string) =>
  text.replace(/[^\x20-\x7e]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);

function reorderKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reorderKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .reverse()
        .map(([key, inner]) => [key, reorderKeys(inner)]),
    );
  }
  return value;
}

/** A ts that a strict parser refuses and `parseInt` reads as the real time, signed as sent. */
function garbledTimestamp(
  name: string,
  title: string,
  garble: (ts: string) => string,
): ConformanceCase {
  return refusal(
    name,
    title,
    (c) =>
      withHeader(c, ({ ts, body }) => {
        const sentTs = garble(ts);
        return `ts:${sentTs},hmac:${computeHeapHmac(c.secret, sentTs, body).toString('base64')}`;
      }),
    'should',
    'heap-reference-app',
  );
}

/** Seconds a sender's clock may honestly be ahead; the clock-fast case signs this far ahead. */
export const HONEST_CLOCK_AHEAD_MS = 5_000;

export function signatureCases(): ConformanceCase[] {
  return [
    refusal('missing-header', 'A delivery without Heap-Hash is refused', (c) =>
      withHeader(c, () => null),
    ),
    refusal('empty-header', 'An empty Heap-Hash is refused', (c) => withHeader(c, () => '')),
    refusal(
      'no-comma',
      'A Heap-Hash without the comma is refused',
      (c) => withHeader(c, ({ ts, hmac }) => `ts:${ts}hmac:${hmac}`),
      'should',
    ),
    refusal('missing-ts', 'A Heap-Hash without ts is refused', (c) =>
      withHeader(c, ({ hmac }) => `hmac:${hmac}`),
    ),
    refusal('missing-hmac', 'A Heap-Hash without hmac is refused', (c) =>
      withHeader(c, ({ ts }) => `ts:${ts}`),
    ),
    refusal(
      'non-numeric-ts',
      'A non-numeric ts is refused',
      (c) =>
        withHeader(
          c,
          ({ body }) =>
            `ts:soon,hmac:${computeHeapHmac(c.secret, 'soon', body).toString('base64')}`,
        ),
      'should',
    ),
    garbledTimestamp('ts-leading-plus', 'A ts with a leading + is refused', (ts) => `+${ts}`),
    garbledTimestamp(
      'ts-inner-space',
      'A ts followed by a space and more digits is refused',
      (ts) => `${ts} 000`,
    ),
    garbledTimestamp(
      'ts-trailing-garbage',
      'A ts with trailing garbage is refused',
      (ts) => `${ts}abc`,
    ),
    refusal(
      'duplicate-keys',
      'A Heap-Hash repeating a key is refused',
      (c) => withHeader(c, ({ ts, hmac }) => `ts:${ts},hmac:${hmac},hmac:${hmac}`),
      'should',
      'our-decision',
    ),
    refusal('wrong-secret', 'A delivery signed with another secret is refused', (c) =>
      withHeader(
        c,
        ({ ts, body }) =>
          `ts:${ts},hmac:${computeHeapHmac(`${c.secret}-not`, ts, body).toString('base64')}`,
      ),
    ),
    refusal('body-changed', 'A body changed after signing is refused', (c) => {
      const delivery = withHeader(c, ({ ts, hmac }) => `ts:${ts},hmac:${hmac}`);
      return {
        ...delivery,
        body: Buffer.from(delivery.body.toString('utf8').replace('"sig-0.', '"sig-X.')),
      };
    }),
    refusal('truncated-hmac', 'A truncated hmac is refused, not a server error', (c) =>
      withHeader(c, ({ ts, hmac }) => `ts:${ts},hmac:${hmac.slice(0, 12)}`),
    ),
    // Node's Base64 decoder skips characters outside the alphabet, so only a strict pattern refuses
    // these; the hmac is genuine, so accepting them lets nothing forged in.
    refusal(
      'hmac-leading-garbage',
      'An hmac with a character outside Base64 before it is refused',
      (c) => withHeader(c, ({ ts, hmac }) => `ts:${ts},hmac:*${hmac}`),
      'should',
      'our-decision',
    ),
    refusal(
      'hmac-trailing-garbage',
      'An hmac with a character outside Base64 after it is refused',
      (c) => withHeader(c, ({ ts, hmac }) => `ts:${ts},hmac:${hmac}*`),
      'should',
      'our-decision',
    ),
    refusal(
      'hex-hmac',
      'A hex digest instead of Base64 is refused',
      (c) =>
        withHeader(
          c,
          ({ ts, body }) => `ts:${ts},hmac:${computeHeapHmac(c.secret, ts, body).toString('hex')}`,
        ),
      'should',
    ),
    signingOracleCase(),
    replayWindowCase(),
    refusal(
      'seconds-timestamp',
      'A timestamp in seconds instead of milliseconds is refused',
      (c) => {
        const body = pageBody(c);
        const header = signHeapHash({
          rawBody: body,
          secret: c.secret,
          timestamp: Math.floor(c.now() / 1000),
        });
        return {
          url: c.url,
          body,
          headers: { 'content-type': 'application/json', 'heap-hash': header },
        };
      },
    ),
    acceptance(
      'pretty-printed',
      'A genuine pretty-printed body is accepted',
      'must',
      'our-decision',
      (p) => JSON.stringify(p, null, 2),
    ),
    acceptance(
      'escaped-unicode',
      'A genuine body with \\u-escaped non-ASCII is accepted',
      'must',
      'our-decision',
      (p) => escapeNonAscii(JSON.stringify(p)),
    ),
    acceptance(
      'reordered-keys',
      'A genuine body with keys in another order is accepted',
      'must',
      'our-decision',
      (p) => JSON.stringify(reorderKeys(p)),
    ),
    acceptance(
      'raw-utf8-ids',
      'A genuine body with raw UTF-8 user ids is accepted',
      'must',
      'heap-spec',
      (p) => JSON.stringify(p),
    ),
    acceptance(
      'keys-reversed',
      'A Heap-Hash with hmac before ts is accepted',
      'should',
      'our-decision',
      (p) => JSON.stringify(p),
      { header: (ts, hmac) => `hmac:${hmac},ts:${ts}` },
    ),
    acceptance(
      'clock-fast',
      `A sender clock ${HONEST_CLOCK_AHEAD_MS / 1000} s fast is accepted`,
      'should',
      'heap-reference-app',
      (p) => JSON.stringify(p),
      { shiftMs: HONEST_CLOCK_AHEAD_MS, label: `signed ${HONEST_CLOCK_AHEAD_MS / 1000} s ahead` },
    ),
  ];
}
