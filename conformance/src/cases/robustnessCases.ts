// `robustness`: broken or unexpected deliveries get a 4xx or a 2xx as the contract says, never a
// 5xx and never a hang.
import { bodyBytes } from '../../../spec/src/index.ts';
import type { AnswerExpectation, CaseContext, CaseSource, ConformanceCase } from './caseTypes.ts';
import { signedTo, syncPageFor, users } from './requestBuilders.ts';

const malformed: AnswerExpectation = { must: 'handled', should: { status: 400, errorBody: true } };

function robustnessCase(
  name: string,
  title: string,
  specRef: string,
  build: (context: CaseContext) => ReturnType<typeof signedTo>,
  expect: AnswerExpectation = malformed,
  source: CaseSource = 'our-decision',
): ConformanceCase {
  return {
    id: `robustness.${name}`,
    group: 'robustness',
    title,
    severity: 'must',
    specRef,
    source,
    batches: () => [[{ label: name, build }]],
    expect,
  };
}

const validPage = (context: CaseContext) =>
  syncPageFor(context, {
    taskId: context.newSyncTaskId(),
    page: 1,
    of: 1,
    add: users('r', 1, context),
  });

const RESPONSES = 'webhook_spec.yaml#/paths/~1webhooks~1heap/post/responses/400';

export function robustnessCases(): ConformanceCase[] {
  return [
    robustnessCase('invalid-json', 'Signed invalid JSON', RESPONSES, (c) =>
      signedTo(c.url, '{"action_type": "segment.users.sync",', c),
    ),
    robustnessCase('empty-body', 'A signed empty body', RESPONSES, (c) => signedTo(c.url, '', c)),
    robustnessCase('json-array', 'A signed JSON array instead of an object', RESPONSES, (c) =>
      signedTo(c.url, '[]', c),
    ),
    robustnessCase(
      'wrong-content-type',
      'A genuine delivery sent as text/plain',
      'webhook_spec.yaml#/paths/~1webhooks~1heap/post/requestBody',
      (c) =>
        signedTo(c.url, bodyBytes(validPage(c)), c, { headers: { 'content-type': 'text/plain' } }),
      { must: 'handled' },
    ),
    robustnessCase(
      'missing-sync-info',
      'A sync page without sync_info',
      'webhook_spec.yaml#/components/schemas/SyncData',
      (c) => {
        const payload = validPage(c) as { data: Record<string, unknown> };
        delete payload.data.sync_info;
        return signedTo(c.url, bodyBytes(payload), c);
      },
    ),
    robustnessCase(
      'page-number-as-text',
      'A page number sent as text',
      'webhook_spec.yaml#/components/schemas/SyncInfo',
      (c) => {
        const payload = validPage(c) as { data: { sync_info: Record<string, unknown> } };
        payload.data.sync_info.page_number = 'one';
        return signedTo(c.url, bodyBytes(payload), c);
      },
    ),
    robustnessCase(
      'user-without-id',
      'A user entry without id',
      'webhook_spec.yaml#/components/schemas/SegmentUser',
      (c) => {
        const payload = validPage(c) as { data: { add: object[] } };
        payload.data.add = [{ email: 'no-id@example.com' }];
        return signedTo(c.url, bodyBytes(payload), c);
      },
    ),
    robustnessCase(
      'unknown-action-type',
      'An action type this contract does not know (Heap says new ones will come)',
      'webhook_spec.yaml#/info/description (Forward compatibility)',
      (c) =>
        signedTo(
          c.url,
          bodyBytes({ id_token: c.idToken, action_type: 'segment.users.rename', data: {} }),
          c,
        ),
      { must: 'handled', should: { statusClass: '2xx' } },
      'heap-spec',
    ),
  ];
}
