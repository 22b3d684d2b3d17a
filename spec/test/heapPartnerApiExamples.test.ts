// Every response and request example of heap_partner_api.yaml validates against its schema.
import test from 'ava';
import { createSchemaValidator } from '../../server/src/contract/schemaValidator.ts';
import { readSpec, specFiles } from '../../server/src/contract/specFiles.ts';

const document = readSpec(specFiles.heapPartnerApi);
const validator = createSchemaValidator(document, 'heap_partner_api');

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

const cases: [string, Media][] = [];
for (const [route, methods] of Object.entries(document.paths)) {
  for (const [method, operation] of Object.entries(methods)) {
    const body = operation.requestBody?.content ?? {};
    for (const [type, media] of Object.entries(body)) {
      cases.push([`${method.toUpperCase()} ${route} request ${type}`, media as Media]);
    }
    for (const [status, response] of Object.entries(operation.responses)) {
      for (const [type, media] of Object.entries(response.content ?? {})) {
        cases.push([`${method.toUpperCase()} ${route} ${status} ${type}`, media as Media]);
      }
    }
  }
}

test('every JSON response of the partner API has an example', (t) => {
  t.true(cases.length >= 8);
  for (const [name, media] of cases) t.true(examplesOf(media).length > 0, name);
});

for (const [name, media] of cases) {
  test(`examples of ${name} validate`, (t) => {
    for (const [exampleName, value] of examplesOf(media)) {
      t.deepEqual(validator.validateAgainst(media.schema, value), { ok: true }, exampleName);
    }
  });
}

test('a token response without token_type is invalid', (t) => {
  const result = validator.validate('TokenResponse', { access_token: 'a', id_token: 'b' });
  t.deepEqual(result, { ok: false, errors: ['token_type: is required'] });
});
