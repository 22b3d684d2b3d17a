// Validates webhook payloads against spec/webhook_spec.yaml and lists the spec's named examples.
import { createSchemaValidator, type SchemaValidator } from './schemaValidator.ts';
import { readSpec, specFiles } from './specFiles.ts';
import {
  DRAIN_ACTION,
  SYNC_ACTION,
  type HeapWebhook,
  type SegmentUsersDrain,
  type SegmentUsersSync,
} from './webhookTypes.ts';

/** What a parsed webhook body turned out to be. */
export type ClassifiedDelivery =
  | { kind: 'sync'; payload: SegmentUsersSync }
  | { kind: 'drain'; payload: SegmentUsersDrain }
  | { kind: 'unknown_action'; actionType: string; idToken: string | undefined }
  | { kind: 'invalid'; errors: string[] };

let validator: SchemaValidator | null = null;

/** The validator of the webhook spec's schemas; the two action schemas are compiled on creation. */
export function webhookValidator(): SchemaValidator {
  if (!validator) {
    validator = createSchemaValidator(readSpec(specFiles.webhook), 'webhook_spec');
    validator.compile('SegmentUsersSync', 'SegmentUsersDrain', 'ErrorBody');
  }
  return validator;
}

/** Tells a sync from a drain from an action this contract does not know, validating known ones. */
export function classifyDelivery(body: unknown): ClassifiedDelivery {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { kind: 'invalid', errors: ['body: must be a JSON object'] };
  }
  const actionType = (body as { action_type?: unknown }).action_type;
  if (typeof actionType !== 'string') {
    return { kind: 'invalid', errors: ['action_type: is required and must be a string'] };
  }
  const schema =
    actionType === SYNC_ACTION
      ? 'SegmentUsersSync'
      : actionType === DRAIN_ACTION
        ? 'SegmentUsersDrain'
        : null;
  if (!schema) {
    const idToken = (body as { id_token?: unknown }).id_token;
    return {
      kind: 'unknown_action',
      actionType,
      idToken: typeof idToken === 'string' ? idToken : undefined,
    };
  }
  const result = webhookValidator().validate(schema, body);
  if (!result.ok) return { kind: 'invalid', errors: result.errors };
  if (actionType === DRAIN_ACTION) return { kind: 'drain', payload: body as SegmentUsersDrain };
  const payload = body as SegmentUsersSync;
  const inconsistency = syncInfoInconsistency(payload.data.sync_info);
  if (inconsistency) return { kind: 'invalid', errors: [inconsistency] };
  return { kind: 'sync', payload };
}

/**
 * What JSON Schema cannot say about a page's place in its sync. A page beyond the last one means the
 * delivery contradicts itself; applying it would leave a sync task that can never be told complete.
 */
export function syncInfoInconsistency(
  syncInfo: SegmentUsersSync['data']['sync_info'],
): string | null {
  if (syncInfo.page_number > syncInfo.total_pages) {
    return (
      `data.sync_info.page_number: ${syncInfo.page_number} is beyond total_pages ` +
      `${syncInfo.total_pages}`
    );
  }
  return null;
}

/** A named request example of the webhook operation. */
export interface WebhookExample {
  name: string;
  summary: string;
  value: HeapWebhook;
}

/** Every named request example of the webhook operation, with `$ref`s resolved. */
export function webhookExamples(): WebhookExample[] {
  const document = readSpec(specFiles.webhook);
  const operation = document.paths['/webhooks/heap']?.post;
  const examples = operation?.requestBody?.content['application/json']?.examples ?? {};
  return Object.entries(examples).map(([name, example]) => {
    const resolved = example.$ref
      ? document.components.examples?.[example.$ref.replace('#/components/examples/', '')]
      : example;
    if (!resolved) throw new Error(`Example ${name} refers to a missing ${example.$ref}`);
    return {
      name,
      summary: 'summary' in resolved ? (resolved.summary ?? name) : name,
      value: structuredClone(resolved.value) as HeapWebhook,
    };
  });
}
