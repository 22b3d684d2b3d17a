// The replay-window probe against simulated partners with a fixed clock: the window it reports, the
// verdict the severity policy gives it, and how few requests the bisection needs.
import test from 'ava';
import { randomUUID } from 'node:crypto';
import type { OutgoingDelivery } from '../../spec/src/index.ts';
import type { CaseContext } from '../src/cases/caseTypes.ts';
import { measureReplayWindow } from '../src/cases/replayWindowCase.ts';
import type { Exchange } from '../src/delivery/webhookDelivery.ts';

const NOW = 1_764_000_000_000;
const MIN = 60_000;
const context: CaseContext = {
  url: 'http://127.0.0.1:1/hook',
  drainUrl: 'http://127.0.0.1:1/hook',
  secret: 'replay-window-secret',
  idToken: 'account',
  secondIdToken: 'second-account',
  unknownIdToken: null,
  segmentId: 7,
  otherSegmentId: (n) => 7 + 1000 * n,
  now: () => NOW,
  maxAgeMs: 5 * MIN,
  maxSkewMs: MIN,
  largePageSize: 0,
  newSyncTaskId: randomUUID,
  modelBudget: { runs: 1, steps: 1, largeDrain: 0, seed: 1, path: null },
};

/** A partner that accepts timestamps from `pastMs` before to `futureMs` after NOW (null: no bound). */
function partner(pastMs: number | null, futureMs: number | null) {
  const sent: number[] = [];
  const send = (delivery: OutgoingDelivery): Promise<Exchange> => {
    const ts = Number(/ts:(\d+)/.exec(delivery.headers['heap-hash']!)![1]);
    sent.push(ts - NOW);
    const ok =
      (pastMs === null || NOW - ts <= pastMs) && (futureMs === null || ts - NOW <= futureMs);
    return Promise.resolve({
      ok: true,
      request: delivery,
      status: ok ? 200 : 403,
      responseHeaders: {},
      responseBody: '',
      durationMs: 1,
    });
  };
  return { send, sent };
}

const table: [
  string,
  {
    past: number | null;
    future: number | null;
    verdict: 'pass' | 'warn' | 'fail';
    message: RegExp;
    cause?: RegExp;
  },
][] = [
  [
    "Heap's reference app (1 min back, 1 s ahead)",
    {
      past: MIN,
      future: 1_000,
      verdict: 'pass',
      message:
        /^measured window: past up to 1 min \(refuses 2 min\), ahead up to 1 s \(refuses 5 s\)$/,
    },
  ],
  [
    'a 10-minute window',
    {
      past: 10 * MIN,
      future: MIN,
      verdict: 'warn',
      message:
        /^replay window wider than 5 min \(--max-age\): accepts deliveries 10 min old; measured window: past up to 10 min \(refuses 30 min\)/,
    },
  ],
  [
    'a 1-hour window',
    { past: 60 * MIN, future: MIN, verdict: 'fail', message: /a replay window of 1 h or more/ },
  ],
  [
    'no check at all',
    {
      past: null,
      future: null,
      verdict: 'fail',
      message: /no replay window/,
      cause: /does not check the Heap-Hash timestamp at all/,
    },
  ],
  [
    'a check of the future only',
    { past: null, future: MIN, verdict: 'fail', message: /no replay window/, cause: /one-sided/ },
  ],
  [
    'a check of the age only',
    {
      past: 2 * MIN,
      future: null,
      verdict: 'warn',
      message: /no bound on the future side/,
      cause: /one-sided/,
    },
  ],
  [
    'a 10-second window',
    {
      past: 10_000,
      future: 1_000,
      verdict: 'warn',
      message: /^refuses a delivery 30 s old/,
      cause: /too narrow/,
    },
  ],
];

for (const [name, want] of table) {
  test(`replay window of ${name}`, async (t) => {
    const simulated = partner(want.past, want.future);
    const verdict = await measureReplayWindow(context, simulated.send);
    t.is(verdict.verdict, want.verdict, verdict.message);
    t.regex(verdict.message, want.message);
    if (want.cause) t.regex(verdict.likelyCause ?? '', want.cause);
    else t.is(verdict.likelyCause, undefined);
    // One fresh delivery, then a bisection of each ladder (9 and 7 rungs): at most 1 + 4 + 3.
    t.true(simulated.sent.length <= 8, `${simulated.sent.length} requests`);
    t.is(verdict.exchanges.length, simulated.sent.length);
  });
}

test('a partner that refuses a delivery signed now fails, with nothing measured', async (t) => {
  const simulated = partner(-1, -1);
  const verdict = await measureReplayWindow(context, simulated.send);
  t.is(verdict.verdict, 'fail');
  t.regex(verdict.message, /^signed now: answered 403: a genuine delivery must be accepted/);
  t.is(simulated.sent.length, 1);
});
