// Pure verdicts: an answer against its expectation, a case's run against the case, and a probing
// case's conclusion under its severity.
import {
  membershipDeliveryOf,
  webhookValidator,
  type MembershipDelivery,
} from '../../../spec/src/index.ts';
import type { Exchange } from '../delivery/webhookDelivery.ts';
import { signingOracleLeak } from './signingOracleLeak.ts';
import type {
  AnswerExpectation,
  CaseRun,
  CaseStatus,
  ConformanceCase,
  ProbeVerdict,
} from '../cases/caseTypes.ts';

export interface AnswerVerdict {
  verdict: 'pass' | 'fail' | 'warn';
  message: string;
  /** For warnings: the legitimate difference, worded the same wherever it is seen. */
  behaviour?: string;
}

/** Hides anything in an answer that could be a signature (a long Base64 or hex run). */
const maskLongTokens = (text: string) =>
  text.replace(/[A-Za-z0-9+/_-]{40,}={0,2}/g, (token) => `<${token.length} chars hidden>`);

const describeAnswer = (exchange: Exchange & { ok: true }) =>
  `${exchange.status}${exchange.responseBody ? ` ${maskLongTokens(exchange.responseBody).slice(0, 120)}` : ''}`;

/** Whether an answer carries the contract's JSON `{"error": "..."}` body (ErrorBody). */
export function hasErrorBody(exchange: Exchange & { ok: true }): boolean {
  try {
    return webhookValidator().validate('ErrorBody', JSON.parse(exchange.responseBody)).ok;
  } catch {
    return false;
  }
}

export function judgeAnswer(exchange: Exchange, expectation: AnswerExpectation): AnswerVerdict {
  if (!exchange.ok) {
    const what =
      exchange.error === 'timeout'
        ? 'no answer within the time limit (a hang)'
        : `no answer: ${exchange.error}`;
    return { verdict: 'fail', message: what };
  }
  const { status } = exchange;
  if (status >= 500)
    return { verdict: 'fail', message: `server error ${describeAnswer(exchange)}` };
  const is2xx = status >= 200 && status < 300;
  const is4xx = status >= 400 && status < 500;
  if (expectation.must === 'accepted' && !is2xx) {
    return { verdict: 'fail', message: `expected a 2xx, got ${describeAnswer(exchange)}` };
  }
  if (expectation.must === 'refused' && !is4xx) {
    return {
      verdict: 'fail',
      message: is2xx
        ? `accepted a delivery it must refuse (${status})`
        : `expected a 4xx, got ${describeAnswer(exchange)}`,
    };
  }
  if (expectation.must === 'handled' && !is2xx && !is4xx) {
    return { verdict: 'fail', message: `expected a 2xx or a 4xx, got ${describeAnswer(exchange)}` };
  }
  const should = expectation.should;
  if (should && 'statusClass' in should && !is2xx) {
    return {
      verdict: 'warn',
      message: `should be acknowledged with a 2xx, got ${describeAnswer(exchange)}`,
      behaviour: `answers ${status} where a 2xx is recommended`,
    };
  }
  if (should && 'status' in should) {
    if (status !== should.status) {
      return {
        verdict: 'warn',
        message: `should be ${should.status}, got ${describeAnswer(exchange)}`,
        behaviour: `answers ${status} where ${should.status} is recommended`,
      };
    }
    if (should.errorBody && !hasErrorBody(exchange)) {
      return {
        verdict: 'warn',
        message: `should carry a JSON {"error": "..."} body, got ${describeAnswer(exchange)}`,
        behaviour: `answers ${status} without the recommended JSON {"error": "..."} body`,
      };
    }
  }
  return { verdict: 'pass', message: String(status) };
}

const expectationFor = (conformanceCase: ConformanceCase, label: string): AnswerExpectation =>
  typeof conformanceCase.expect === 'function'
    ? conformanceCase.expect(label)
    : conformanceCase.expect;

/** Describes a signature by its shape only: a report must never carry a valid signature. */
const maskSignatures = (header: string) =>
  header.replace(/(hmac\s*:\s*)([^,]*)/gi, (_, key: string, value: string) => {
    const kind = /^[0-9a-f]+$/i.test(value) ? 'hex' : 'Base64';
    return `${key}<${value.length} ${kind} chars>`;
  });

/**
 * A failure when any answer contains a valid signature or the secret: a must whatever the case,
 * because it hands out forged deliveries to anyone who asks.
 */
function leakVerdict(
  exchanges: readonly { label: string; exchange: Exchange }[],
  secret: string,
): CaseVerdict | null {
  for (const { label, exchange } of exchanges) {
    const leak = signingOracleLeak(exchange, secret);
    if (leak) {
      return {
        status: 'failed',
        message: `${label}: ${leak}`,
        evidence: evidenceOf(label, exchange),
        behaviour: leak,
      };
    }
  }
  return null;
}

/**
 * Summarises an exchange for a report: what was sent and what came back, never a secret or a
 * signature.
 */
export function evidenceOf(label: string, exchange: Exchange): string {
  const sent = exchange.request;
  const rawHeapHash = sent.headers['heap-hash'];
  const heapHash = rawHeapHash === undefined ? undefined : maskSignatures(rawHeapHash);
  const lines = [
    `${label}: sent POST ${sent.url}`,
    `  Heap-Hash: ${heapHash === undefined ? '(none)' : JSON.stringify(heapHash)}, Content-Type: ${sent.headers['content-type'] ?? '(none)'}`,
    `  body (${sent.body.length} bytes): ${sent.body.toString('utf8').slice(0, 200)}${sent.body.length > 200 ? '…' : ''}`,
    exchange.ok
      ? `  received ${exchange.status} after ${exchange.durationMs} ms: ${maskLongTokens(exchange.responseBody).slice(0, 300)}`
      : `  received nothing: ${exchange.error} after ${exchange.durationMs} ms`,
  ];
  return lines.join('\n');
}

export interface CaseVerdict {
  status: CaseStatus;
  message: string;
  evidence?: string;
  behaviour?: string;
  likelyCause?: string;
  measured?: string;
}

/** The membership changes of the deliveries the case expects accepted, in the order sent. */
function acceptedChanges(conformanceCase: ConformanceCase, run: CaseRun): MembershipDelivery[] {
  return run.exchanges
    .filter(({ label }) => expectationFor(conformanceCase, label).must === 'accepted')
    .map(({ exchange }) => membershipDeliveryOf(exchange.request.body, run.context.idToken))
    .filter((change) => change !== null);
}

export function judgeCase(
  conformanceCase: ConformanceCase,
  run: CaseRun,
  effectsChecked: boolean,
): CaseVerdict {
  const failureStatus: CaseStatus = conformanceCase.severity === 'must' ? 'failed' : 'warning';
  const cost = conformanceCase.cost ? ` (${conformanceCase.cost})` : '';
  let warning: CaseVerdict | null = null;
  const leaked = leakVerdict(run.exchanges, run.context.secret);
  if (leaked) return leaked;
  for (const { label, exchange } of run.exchanges) {
    const verdict = judgeAnswer(exchange, expectationFor(conformanceCase, label));
    if (verdict.verdict === 'fail') {
      return {
        status: failureStatus,
        message: `${label}: ${verdict.message}${cost}`,
        evidence: evidenceOf(label, exchange),
      };
    }
    if (verdict.verdict === 'warn' && !warning) {
      warning = {
        status: 'warning',
        message: `${label}: ${verdict.message}`,
        evidence: evidenceOf(label, exchange),
        ...(verdict.behaviour ? { behaviour: verdict.behaviour } : {}),
      };
    }
  }
  if (conformanceCase.expectMembers && effectsChecked) {
    if (run.inspectionError)
      return { status: failureStatus, message: `could not read members: ${run.inspectionError}` };
    const problem = conformanceCase.expectMembers(
      run.members ?? [],
      run.context,
      acceptedChanges(conformanceCase, run),
    );
    if (problem) return { status: failureStatus, message: problem };
  }
  if (warning) return warning;
  const effects = conformanceCase.expectMembers
    ? effectsChecked
      ? '; members verified'
      : '; members not verified (no --inspect-url)'
    : '';
  return { status: 'passed', message: `${run.exchanges.length} answer(s) as expected${effects}` };
}

/** A probing case's own conclusion, under its severity; a leak in any of its answers fails it. */
export function judgeProbe(
  outcome: ProbeVerdict,
  severity: ConformanceCase['severity'],
  secret: string,
): CaseVerdict {
  const leaked = leakVerdict(outcome.exchanges, secret);
  if (leaked) return leaked;
  const status: CaseStatus =
    outcome.verdict === 'pass'
      ? 'passed'
      : outcome.verdict === 'skip'
        ? 'skipped'
        : outcome.verdict === 'warn' || severity === 'should'
          ? 'warning'
          : 'failed';
  return {
    status,
    message: outcome.message,
    ...(outcome.behaviour && status !== 'passed' ? { behaviour: outcome.behaviour } : {}),
    ...(outcome.likelyCause && status !== 'passed' ? { likelyCause: outcome.likelyCause } : {}),
    ...(outcome.measured ? { measured: outcome.measured } : {}),
  };
}
