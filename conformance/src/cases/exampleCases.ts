// `examples`: every request example of spec/webhook_spec.yaml, signed correctly, must be accepted.
import { bodyBytes, webhookExamples } from '../../../spec/src/index.ts';
import type { ConformanceCase } from './caseTypes.ts';
import { signedTo } from './requestBuilders.ts';

export function exampleCases(): ConformanceCase[] {
  const examples = webhookExamples();
  // Drains last, so that they do not undo what the sync examples did before a reader looks.
  const ordered = [
    ...examples.filter((example) => example.value.action_type !== 'segment.users.drain'),
    ...examples.filter((example) => example.value.action_type === 'segment.users.drain'),
  ];
  return ordered.map((example) => ({
    id: `examples.${example.name.replace(/_/g, '-')}`,
    group: 'examples',
    title: `Spec example "${example.summary}" is accepted`,
    severity: 'must',
    specRef: `webhook_spec.yaml#/components/examples (${example.name})`,
    source: 'heap-spec',
    batches: () => [
      [
        {
          label: example.name,
          build: (context) => {
            const payload = { ...example.value, id_token: context.idToken };
            const url =
              payload.action_type === 'segment.users.drain' ? context.drainUrl : context.url;
            return signedTo(url, bodyBytes(payload), context);
          },
        },
      ],
    ],
    expect: { must: 'accepted', should: { status: 200 } },
  }));
}
