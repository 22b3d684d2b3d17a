// `examples`: every request example of spec/webhook_spec.yaml and every payload of the fidelity
// corpus (spec/corpus/: what Heap has published), signed correctly, must be accepted.
import {
  bodyBytes,
  corpusBytesFor,
  fidelityCorpus,
  webhookExamples,
  type CorpusEntry,
  type WebhookExample,
} from '../../../spec/src/index.ts';
import type { ConformanceCase } from './caseTypes.ts';
import { signedTo } from './requestBuilders.ts';

const isDrain = (action: string) => action === 'segment.users.drain';

function specExampleCase(example: WebhookExample): ConformanceCase {
  return {
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
            const url = isDrain(payload.action_type) ? context.drainUrl : context.url;
            return signedTo(url, bodyBytes(payload), context);
          },
        },
      ],
    ],
    expect: { must: 'accepted', should: { status: 200 } },
  };
}

/**
 * A corpus payload goes out as Heap's tools send it, byte for byte, except that an id_token it
 * carries becomes `--id-token`, so that a partner checking accounts is judged on the shape alone.
 * One without an id_token is sent without one: Heap sends such deliveries, and a refusal would
 * make Heap retry them forever.
 */
function corpusCase(entry: CorpusEntry): ConformanceCase {
  return {
    id: `examples.corpus-${entry.name}`,
    group: 'examples',
    title: `Heap's published payload ${entry.name} (${entry.source}) is accepted`,
    severity: 'must',
    source: entry.source === 'heap-spec' ? 'heap-spec' : 'heap-reference-app',
    specRef: `corpus/${entry.file} (webhook_spec.yaml#/components/schemas/HeapWebhook)`,
    batches: () => [
      [
        {
          label: entry.name,
          build: (context) =>
            signedTo(
              isDrain(entry.action) ? context.drainUrl : context.url,
              corpusBytesFor(entry, context.idToken),
              context,
            ),
        },
      ],
    ],
    expect: { must: 'accepted', should: { status: 200 } },
  };
}

export function exampleCases(): ConformanceCase[] {
  // Drains last, so that they do not undo what the sync examples did before a reader looks.
  const syncs: ConformanceCase[] = [];
  const drains: ConformanceCase[] = [];
  for (const example of webhookExamples()) {
    (isDrain(example.value.action_type) ? drains : syncs).push(specExampleCase(example));
  }
  for (const entry of fidelityCorpus()) {
    (isDrain(entry.action) ? drains : syncs).push(corpusCase(entry));
  }
  return [...syncs, ...drains];
}
