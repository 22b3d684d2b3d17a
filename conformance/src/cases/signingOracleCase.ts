// `signature.signing-oracle`: no answer to a forged or altered delivery hands out the HMAC that would
// have been valid for it, or the secret. Heap's reference app does (`Invalid hmac. Received: …,
// Computed: <valid>`): anyone can post any body, read its signature and replay it signed. The
// answers are searched by the judge (runner/signingOracleLeak.ts), for this case and every other.
import { bodyBytes, computeHeapHmac, type OutgoingDelivery } from '../../../spec/src/index.ts';
import type { CaseContext, ConformanceCase, Step } from './caseTypes.ts';
import { membersAsModelled, syncPageFor, users } from './requestBuilders.ts';

function forged(
  label: string,
  make: (context: CaseContext, ts: string, body: Buffer) => { heapHash: string; body: Buffer },
): Step {
  return {
    label,
    build: (context): OutgoingDelivery => {
      const body = bodyBytes(
        syncPageFor(context, {
          taskId: context.newSyncTaskId(),
          page: 1,
          of: 1,
          add: users('oracle', 1, context),
        }),
      );
      const sent = make(context, String(context.now()), body);
      return {
        url: context.url,
        body: sent.body,
        headers: { 'content-type': 'application/json', 'heap-hash': sent.heapHash },
      };
    },
  };
}

const base64Hmac = (secret: string, ts: string, body: Buffer) =>
  computeHeapHmac(secret, ts, body).toString('base64');

export function signingOracleCase(): ConformanceCase {
  return {
    id: 'signature.signing-oracle',
    group: 'signature',
    title: 'No answer to a forged or altered delivery contains the valid HMAC or the secret',
    severity: 'must',
    specRef: 'webhook_spec.yaml#/info/description (Signing rule)',
    source: 'heap-reference-app',
    batches: () => [
      [
        forged('body altered after signing', (context, ts, body) => ({
          heapHash: `ts:${ts},hmac:${base64Hmac(context.secret, ts, body)}`,
          body: Buffer.from(body.toString('utf8').replace('"oracle-0.', '"oracle-X.')),
        })),
        forged('ts altered after signing', (context, ts, body) => ({
          heapHash: `ts:${Number(ts) - 1},hmac:${base64Hmac(context.secret, ts, body)}`,
          body,
        })),
        forged('signed with another secret', (context, ts, body) => ({
          heapHash: `ts:${ts},hmac:${base64Hmac(`${context.secret}-forger`, ts, body)}`,
          body,
        })),
        forged('made-up hmac', (_context, ts, body) => ({
          heapHash: `ts:${ts},hmac:${Buffer.alloc(32, 7).toString('base64')}`,
          body,
        })),
      ],
    ],
    expect: { must: 'refused' },
    expectMembers: membersAsModelled,
  };
}
