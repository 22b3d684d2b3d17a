// `examples`: every request example of spec/webhook_spec.yaml and every payload of the fidelity
// corpus (spec/corpus/: what Heap has published), signed correctly, is accepted: a must for the
// shapes Heap's production sender sends, a should for what only Heap's test tools send or only its
// spec describes.
import {
  bodyBytes,
  corpusBytesFor,
  fidelityCorpus,
  webhookExamples,
  type CorpusEntry,
  type CorpusProducer,
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

const NO_ACCOUNT_COST =
  "a delivery naming no account is what Heap's test script sends with ID_TOKEN unset and what " +
  "Heap's reference app gives to the partner's own environment: refused, the test script prints " +
  'the non-2xx answer and the Developer Hub\'s "Send sample segment" shows a failed delivery; ' +
  "customers' syncs carry an id_token and are not affected";

/** What refusing a payload costs, by who sends it; null for what Heap's production sender sends. */
function refusalCost(entry: CorpusEntry): string | null {
  const costs: Record<CorpusProducer, string | null> = {
    production: null,
    'local-test-script': NO_ACCOUNT_COST,
    'developer-hub-sample':
      'the Developer Hub\'s "Send sample segment" shows a failed delivery; customers\' syncs are ' +
      'not affected',
    'spec-description':
      'Heap\'s spec allows a customer_config without fields ("empty for now") while Heap\'s ' +
      `reference app refuses it (${entry.referenceAppAnswer ?? 'a 400'}) and every payload Heap has ` +
      'published carries fields: if Heap ever sends one, a refusal is retried until it is accepted',
  };
  return entry.idToken === 'present' ? costs[entry.producedBy] : NO_ACCOUNT_COST;
}

/**
 * A corpus payload goes out as Heap's tools send it, byte for byte, except that an id_token it
 * carries becomes `--id-token`, so that a partner checking accounts is judged on the shape alone.
 * One without an id_token is sent without one, as Heap's test script sends it.
 */
function corpusCase(entry: CorpusEntry): ConformanceCase {
  const cost = refusalCost(entry);
  return {
    id: `examples.corpus-${entry.name}`,
    group: 'examples',
    title: `Heap's published payload ${entry.name} (${entry.source}) is accepted`,
    severity: cost === null ? 'must' : 'should',
    ...(cost === null ? {} : { cost }),
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
