// `signature.replay-window`: measures the timestamp window a partner enforces instead of assuming
// one. Genuine deliveries signed at ages and clock skews from fixed ladders, searched by bisection,
// give the oldest and furthest-ahead timestamps accepted; the verdict follows the severity policy.
import { bodyBytes, type OutgoingDelivery } from '../../../spec/src/index.ts';
import type { Exchange } from '../delivery/webhookDelivery.ts';
import type { CaseContext, ConformanceCase, ProbeVerdict } from './caseTypes.ts';
import { signedTo, syncPageFor, users } from './requestBuilders.ts';

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/** Ages probed, youngest first. */
export const PAST_LADDER_MS = [
  30 * SECOND,
  MINUTE,
  2 * MINUTE,
  5 * MINUTE,
  10 * MINUTE,
  30 * MINUTE,
  HOUR,
  2 * HOUR,
  24 * HOUR,
];
/** Clock skews ahead probed, smallest first; a day ahead tells whether there is a bound at all. */
export const FUTURE_LADDER_MS = [
  SECOND,
  5 * SECOND,
  30 * SECOND,
  MINUTE,
  5 * MINUTE,
  HOUR,
  24 * HOUR,
];

/** A window of an hour or more lets a captured delivery be replayed for that long: a must. */
export const REPLAY_WINDOW_LIMIT_MS = HOUR;
/** A window narrower than this refuses honest deliveries delayed in transit. */
export const NARROWEST_PAST_WINDOW_MS = 30 * SECOND;

export function formatDuration(ms: number): string {
  if (ms >= 24 * HOUR && ms % (24 * HOUR) === 0) return `${ms / (24 * HOUR)} day`;
  if (ms >= HOUR && ms % HOUR === 0) return `${ms / HOUR} h`;
  if (ms >= MINUTE && ms % MINUTE === 0) return `${ms / MINUTE} min`;
  return `${ms / SECOND} s`;
}

type Probed = { label: string; exchange: Exchange }[];

/**
 * The index of the last rung accepted (-1: none), assuming a partner that accepts an age also
 * accepts every younger one. Null with the exchange when an answer was neither 2xx nor 4xx.
 */
async function lastAccepted(
  ladder: readonly number[],
  direction: 'ago' | 'ahead',
  send: (shiftMs: number) => Promise<Exchange>,
  probed: Probed,
): Promise<{ index: number } | { broken: { label: string; exchange: Exchange } }> {
  let accepted = -1;
  let refused = ladder.length;
  while (refused - accepted > 1) {
    const middle = Math.floor((accepted + refused) / 2);
    const label = `signed ${formatDuration(ladder[middle]!)} ${direction}`;
    const exchange = await send(direction === 'ago' ? -ladder[middle]! : ladder[middle]!);
    probed.push({ label, exchange });
    if (!exchange.ok || exchange.status >= 500 || exchange.status < 200)
      return { broken: { label, exchange } };
    if (exchange.status < 300) accepted = middle;
    else refused = middle;
  }
  return { index: accepted };
}

const describeBroken = ({ label, exchange }: { label: string; exchange: Exchange }) =>
  `${label}: ${exchange.ok ? `answered ${exchange.status}` : `no answer (${exchange.error})`}`;

/** The measured side of a window, as `up to X (refuses Y)`. */
function sideText(ladder: readonly number[], index: number): string {
  if (index < 0) return `none (refuses ${formatDuration(ladder[0]!)})`;
  if (index === ladder.length - 1)
    return `${formatDuration(ladder[index]!)} or more (no bound found)`;
  return `up to ${formatDuration(ladder[index]!)} (refuses ${formatDuration(ladder[index + 1]!)})`;
}

export async function measureReplayWindow(
  context: CaseContext,
  send: (delivery: OutgoingDelivery) => Promise<Exchange>,
): Promise<ProbeVerdict> {
  const probed: Probed = [];
  let probe = 0;
  const sendShifted = (shiftMs: number) => {
    const body = bodyBytes(
      syncPageFor(context, {
        taskId: context.newSyncTaskId(),
        page: 1,
        of: 1,
        add: users(`window${probe++}`, 1, context),
      }),
    );
    return send(signedTo(context.url, body, context, { shiftMs }));
  };
  const fresh = await sendShifted(0);
  probed.push({ label: 'signed now', exchange: fresh });
  if (!fresh.ok || fresh.status < 200 || fresh.status >= 300) {
    return {
      verdict: 'fail',
      message: `${describeBroken({ label: 'signed now', exchange: fresh })}: a genuine delivery must be accepted before the window can be measured`,
      exchanges: probed,
    };
  }
  const past = await lastAccepted(PAST_LADDER_MS, 'ago', sendShifted, probed);
  if ('broken' in past)
    return { verdict: 'fail', message: describeBroken(past.broken), exchanges: probed };
  const future = await lastAccepted(FUTURE_LADDER_MS, 'ahead', sendShifted, probed);
  if ('broken' in future)
    return { verdict: 'fail', message: describeBroken(future.broken), exchanges: probed };

  const pastMs = past.index < 0 ? 0 : PAST_LADDER_MS[past.index]!;
  const futureMs = future.index < 0 ? 0 : FUTURE_LADDER_MS[future.index]!;
  const pastUnbounded = past.index === PAST_LADDER_MS.length - 1;
  const futureUnbounded = future.index === FUTURE_LADDER_MS.length - 1;
  const measured =
    `measured window: past ${sideText(PAST_LADDER_MS, past.index)}, ` +
    `ahead ${sideText(FUTURE_LADDER_MS, future.index)}`;
  const result = (
    verdict: ProbeVerdict['verdict'],
    behaviour: string,
    likelyCause?: string,
  ): ProbeVerdict => ({
    verdict,
    message: `${behaviour}; ${measured}`,
    behaviour,
    ...(likelyCause ? { likelyCause } : {}),
    measured,
    exchanges: probed,
  });

  if (pastUnbounded) {
    return result(
      'fail',
      `accepts a delivery signed ${formatDuration(pastMs)} ago: no replay window`,
      futureUnbounded
        ? 'the endpoint does not check the Heap-Hash timestamp at all'
        : 'the window is one-sided: the endpoint refuses timestamps ahead but never checks their age',
    );
  }
  if (pastMs >= REPLAY_WINDOW_LIMIT_MS) {
    return result(
      'fail',
      `accepts deliveries ${formatDuration(pastMs)} old: a replay window of ${formatDuration(REPLAY_WINDOW_LIMIT_MS)} or more`,
    );
  }
  if (pastMs > context.maxAgeMs) {
    return result(
      'warn',
      `replay window wider than ${formatDuration(context.maxAgeMs)} (--max-age): accepts deliveries ${formatDuration(pastMs)} old`,
    );
  }
  if (futureUnbounded) {
    return result(
      'warn',
      `accepts a timestamp ${formatDuration(futureMs)} ahead: no bound on the future side`,
      'the window is one-sided: the endpoint checks the age of a timestamp but not how far ahead it is',
    );
  }
  if (futureMs > context.maxSkewMs) {
    return result(
      'warn',
      `accepts timestamps ${formatDuration(futureMs)} ahead, more than ${formatDuration(context.maxSkewMs)} (--max-skew)`,
    );
  }
  if (pastMs < NARROWEST_PAST_WINDOW_MS) {
    return result(
      'warn',
      `refuses a delivery ${formatDuration(NARROWEST_PAST_WINDOW_MS)} old: a window that narrow refuses honest deliveries delayed in transit`,
      'the replay window is too narrow',
    );
  }
  return { verdict: 'pass', message: measured, measured, exchanges: probed };
}

export function replayWindowCase(): ConformanceCase {
  return {
    id: 'signature.replay-window',
    group: 'signature',
    title: 'The timestamp window, measured: old and far-ahead deliveries are refused',
    severity: 'must',
    specRef: 'webhook_spec.yaml#/components/parameters/HeapHash (timestamp tolerance)',
    source: 'heap-spec',
    batches: () => [],
    expect: { must: 'accepted' },
    probe: measureReplayWindow,
  };
}
