// Every request and response example of the two HTTP API specs validates against its schema.
import test from 'ava';
import path from 'node:path';
import { createSchemaValidator, type SchemaValidator } from '../src/schemaValidator.ts';
import { readSpec, specFiles, type OpenApiDocument } from '../src/specFiles.ts';

interface Media {
  schema?: unknown;
  example?: unknown;
  examples?: Record<string, { value: unknown }>;
}

function examplesOf(media: Media): [string, unknown][] {
  const named = Object.entries(media.examples ?? {}).map(
    ([name, example]) => [name, example.value] as [string, unknown],
  );
  return media.example === undefined ? named : [['example', media.example], ...named];
}

const cases: [string, Media, SchemaValidator][] = [];
for (const file of [specFiles.heapPartnerApi, specFiles.partnerInspectionApi]) {
  const document = readSpec(file);
  const validator = createSchemaValidator(document, path.basename(file));
  for (const [route, methods] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(methods)) {
      const name = `${path.basename(file)} ${method.toUpperCase()} ${route}`;
      for (const [type, media] of Object.entries(operation.requestBody?.content ?? {})) {
        cases.push([`${name} request ${type}`, media as Media, validator]);
      }
      for (const [status, response] of Object.entries(operation.responses)) {
        const resolved = resolveResponse(document, response);
        for (const [type, media] of Object.entries(resolved.content ?? {})) {
          cases.push([`${name} ${status} ${type}`, media as Media, validator]);
        }
      }
    }
  }
}

function resolveResponse(
  document: OpenApiDocument,
  response: { $ref?: string; content?: Record<string, unknown> },
): { content?: Record<string, unknown> } {
  if (!response.$ref) return response;
  const name = response.$ref.replace('#/components/responses/', '');
  const components = document.components as {
    responses?: Record<string, { content?: Record<string, unknown> }>;
  };
  const resolved = components.responses?.[name];
  if (!resolved) throw new Error(`Missing response ${response.$ref}`);
  return resolved;
}

test('every JSON response of the partner API has an example', (t) => {
  t.true(cases.length >= 8);
  for (const [name, media] of cases) t.true(examplesOf(media).length > 0, name);
});

for (const [name, media, validator] of cases) {
  test(`examples of ${name} validate`, (t) => {
    for (const [exampleName, value] of examplesOf(media)) {
      t.deepEqual(validator.validateAgainst(media.schema, value), { ok: true }, exampleName);
    }
  });
}

test('a token response without token_type is invalid', (t) => {
  const validator = createSchemaValidator(readSpec(specFiles.heapPartnerApi), 'heap_partner_api');
  const result = validator.validate('TokenResponse', { access_token: 'a', id_token: 'b' });
  t.deepEqual(result, { ok: false, errors: ['token_type: is required'] });
});
