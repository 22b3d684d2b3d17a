// `sync.unknown-account-refused` and `drain.unknown-account-refused`, run only with
// --unknown-id-token: a partner that looks its connected accounts up (as Heap's reference app tells
// it to in its sync and its drain handler, answering 400 "Invalid id_token") refuses a delivery for
// an account nobody connected, and stores nothing for it. Accepting such a delivery is as right
// (Heap's "Send sample segment" uses accounts nobody connected), so the case checks only what the
// partner says it does.
import { bodyBytes, drainPayload, syncPagePayload } from '../../../spec/src/index.ts';
import { InspectionError } from '../runner/inspectionClient.ts';
import { hasErrorBody } from '../runner/judge.ts';
import type { ConformanceCase } from './caseTypes.ts';
import { segmentName, signedTo, users } from './requestBuilders.ts';

type Kind = 'sync' | 'drain';

const SCHEMA: Record<Kind, string> = { sync: 'SegmentUsersSync', drain: 'SegmentUsersDrain' };

export function unknownAccountCase(kind: Kind): ConformanceCase {
  return {
    id: `${kind}.unknown-account-refused`,
    group: kind,
    title: `A ${kind} for an account nobody connected is refused and stores nothing (--unknown-id-token)`,
    severity: 'must',
    specRef: `webhook_spec.yaml#/components/schemas/${SCHEMA[kind]} (id_token)`,
    source: 'heap-reference-app',
    skipReason: (c) =>
      c.unknownIdToken === null
        ? 'no --unknown-id-token: a partner that accepts every account is not asked to refuse one'
        : null,
    batches: () => [],
    expect: { must: 'refused' },
    probe: async (context, send, inspection) => {
      const unknown = context.unknownIdToken!;
      const segment = { id: context.segmentId, name: segmentName(context) };
      const delivery =
        kind === 'sync'
          ? {
              url: context.url,
              payload: syncPagePayload({
                idToken: unknown,
                segment,
                syncTaskId: context.newSyncTaskId(),
                pageNumber: 1,
                totalPages: 1,
                add: users('unconnected', 2, context),
              }),
            }
          : { url: context.drainUrl, payload: drainPayload({ idToken: unknown, segment }) };
      const exchange = await send(signedTo(delivery.url, bodyBytes(delivery.payload), context));
      const exchanges = [{ label: `${kind} for the unknown account`, exchange }];
      if (!exchange.ok || exchange.status >= 500 || exchange.status < 200) {
        return {
          verdict: 'fail',
          message: exchange.ok
            ? `answered ${exchange.status} to a ${kind} for an account nobody connected: Heap retries ` +
              'every answer that is not 2xx, and a 5xx says the endpoint failed, not that it refused'
            : `no answer (${exchange.error}) to a ${kind} for an account nobody connected`,
          exchanges,
        };
      }
      if (exchange.status < 300) {
        return {
          verdict: 'warn',
          message:
            `answered ${exchange.status} to a ${kind} for the account --unknown-id-token names: the ` +
            'partner takes deliveries for an account nobody connected, so membership of a Heap ' +
            "environment it has no customer for is kept. Refuse it (Heap's reference app answers " +
            '400 "Invalid id_token"), or leave --unknown-id-token out if accepting is intended',
          behaviour: 'accepts a delivery for an account nobody connected',
          exchanges,
        };
      }
      let stored: string[] = [];
      try {
        if (inspection) stored = await inspection.members(unknown, context.segmentId);
      } catch (error) {
        // An inspection API may as well answer 404 or 403 for an account it does not know.
        const status = error instanceof InspectionError ? error.status : null;
        if (status === null || status < 400 || status >= 500) {
          return {
            verdict: 'fail',
            message: `refused with ${exchange.status}; the members could not be read: ${(error as Error).message}`,
            exchanges,
          };
        }
        stored = [];
      }
      if (stored.length > 0) {
        return {
          verdict: 'fail',
          message:
            `refused with ${exchange.status}, yet the inspection API lists ${stored.length} ` +
            'members for the unknown account: a refused delivery must leave nothing behind, or ' +
            "Heap's retries apply it again",
          behaviour: 'stores a delivery it refused',
          exchanges,
        };
      }
      const effects = inspection
        ? 'nothing stored for the account'
        : 'members not verified (no --inspect-url)';
      if (!hasErrorBody(exchange)) {
        return {
          verdict: 'warn',
          message: `refused with ${exchange.status}; ${effects}; but without the recommended JSON {"error": "..."} body`,
          behaviour: `answers ${exchange.status} without the recommended JSON {"error": "..."} body`,
          exchanges,
        };
      }
      return { verdict: 'pass', message: `refused with ${exchange.status}; ${effects}`, exchanges };
    },
  };
}
