// Small builders the cases share: signed bodies, payloads for the case's own segment, expectations.
import {
  bodyBytes,
  drainPayload,
  expectedMembership,
  membershipProblem,
  signHeapHash,
  syncPagePayload,
  type MembershipDelivery,
  type OutgoingDelivery,
} from '../../../spec/src/index.ts';
import type { CaseContext, Step } from './caseTypes.ts';

export const segmentName = (context: CaseContext) => `Conformance ${context.segmentId}`;

/** A delivery of exactly `body`, signed now (plus `shiftMs`) with the partner's secret. */
export function signedTo(
  url: string,
  body: Buffer | string,
  context: CaseContext,
  options: { shiftMs?: number; secret?: string; headers?: Record<string, string> } = {},
): OutgoingDelivery {
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  return {
    url,
    body: bytes,
    headers: {
      'content-type': 'application/json',
      'heap-hash': signHeapHash({
        rawBody: bytes,
        secret: options.secret ?? context.secret,
        timestamp: context.now() + (options.shiftMs ?? 0),
      }),
      ...options.headers,
    },
  };
}

export interface PageSpec {
  taskId: string;
  page: number;
  of: number;
  add?: string[];
  remove?: string[];
}

export function syncPageFor(context: CaseContext, spec: PageSpec) {
  return syncPagePayload({
    idToken: context.idToken,
    segment: { id: context.segmentId, name: segmentName(context) },
    syncTaskId: spec.taskId,
    pageNumber: spec.page,
    totalPages: spec.of,
    add: spec.add,
    remove: spec.remove,
  });
}

/** A step that sends one signed sync page to the sync URL. */
export function syncStep(label: string, spec: (context: CaseContext) => PageSpec): Step {
  return {
    label,
    build: (context) =>
      signedTo(context.url, bodyBytes(syncPageFor(context, spec(context))), context),
  };
}

/** A step that sends a signed drain of the case's segment to the drain URL. */
export function drainStep(label: string, options: { secret?: string } = {}): Step {
  return {
    label,
    build: (context) =>
      signedTo(
        context.drainUrl,
        bodyBytes(
          drainPayload({
            idToken: context.idToken,
            segment: { id: context.segmentId, name: segmentName(context) },
          }),
        ),
        context,
        options,
      ),
  };
}

/**
 * Checks the case's segment against the membership model applied to the deliveries the case sent
 * (spec/src/membershipModel.ts); null when the members are among the accepted outcomes.
 */
export function membersAsModelled(
  members: readonly string[],
  context: CaseContext,
  sent: readonly MembershipDelivery[],
): string | null {
  const expectation = expectedMembership(sent).segment(context.idToken, context.segmentId);
  return membershipProblem(expectation, members);
}

/** `count` distinct user ids for a case, with a prefix naming their role. */
export const users = (prefix: string, count: number, context: CaseContext) =>
  Array.from(
    { length: count },
    (_, index) => `${prefix}-${index}.${context.segmentId}@conformance.example`,
  );
