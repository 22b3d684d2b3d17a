// Every part of the webhook contract says where it comes from: Heap's spec, its reference app, or us.
import test from 'ava';
import { readSpec, specFiles } from '../src/specFiles.ts';

const SOURCES = ['heap-spec', 'heap-reference-app', 'toolkit'];

interface SchemaNode {
  $ref?: string;
  'x-source'?: unknown;
  properties?: Record<string, SchemaNode>;
}

/** Every schema and inline property without an `x-source` from the known set, by path. */
function unsourced(): string[] {
  const schemas = readSpec(specFiles.webhook).components.schemas as Record<string, SchemaNode>;
  const missing: string[] = [];
  for (const [name, schema] of Object.entries(schemas)) {
    if (!SOURCES.includes(schema['x-source'] as string)) missing.push(name);
    for (const [property, node] of Object.entries(schema.properties ?? {})) {
      // A $ref property is sourced by the schema it names.
      if (!node.$ref && !SOURCES.includes(node['x-source'] as string)) {
        missing.push(`${name}.${property}`);
      }
    }
  }
  return missing;
}

test('every webhook schema and property names its source', (t) => {
  t.deepEqual(unsourced(), []);
});

test('drain is marked as coming from the reference app, not the published spec', (t) => {
  const schemas = readSpec(specFiles.webhook).components.schemas as Record<string, SchemaNode>;
  t.is(schemas.SegmentUsersDrain?.['x-source'], 'heap-reference-app');
  t.is(schemas.SegmentUsersSync?.['x-source'], 'heap-spec');
});

test('required holds only what a receiver cannot act without', (t) => {
  const schemas = readSpec(specFiles.webhook).components.schemas as Record<
    string,
    { required?: string[] }
  >;
  const required = Object.fromEntries(
    Object.entries(schemas)
      .filter(([, schema]) => schema.required)
      .map(([name, schema]) => [name, schema.required]),
  );
  t.deepEqual(required, {
    SegmentUsersSync: ['action_type', 'data'],
    SegmentUsersDrain: ['action_type', 'data'],
    Segment: ['id'],
    SyncInfo: ['page_number', 'total_pages', 'sync_task_id'],
    SegmentUser: ['id'],
    SyncData: ['segment', 'sync_info'],
    DrainData: ['segment'],
    ErrorBody: ['error'],
  });
});
