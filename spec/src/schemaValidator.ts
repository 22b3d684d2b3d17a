// Compiles the schemas of an OpenAPI 3.0 document into JSON-Schema validators (Ajv), once.
import { _, Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { OpenApiDocument } from './specFiles.ts';

// ajv-formats is CommonJS; its default export arrives wrapped under ESM.
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

export type ValidationResult = { ok: true } | { ok: false; errors: string[] };

export interface SchemaValidator {
  /** Names of the schemas in `components.schemas`. */
  readonly schemaNames: readonly string[];
  /** Compiles the named component schemas now, so the first request does not pay for it. */
  compile(...schemaNames: string[]): void;
  /** Validates `value` against the named component schema. */
  validate(schemaName: string, value: unknown): ValidationResult;
  /** Validates `value` against an inline schema of the document (a response schema, say). */
  validateAgainst(schema: unknown, value: unknown): ValidationResult;
}

/** `/data/sync_info/page_number` + "must be integer" -> `data.sync_info.page_number: must be integer`. */
export function describeSchemaError(error: ErrorObject): string {
  const segments = error.instancePath.split('/').slice(1).map(unescapePointer);
  if (error.keyword === 'required') {
    segments.push(String((error.params as { missingProperty: string }).missingProperty));
    return `${segments.join('.')}: is required`;
  }
  const where = segments.length > 0 ? segments.join('.') : 'body';
  if (error.keyword === 'enum') {
    const allowed = (error.params as { allowedValues: unknown[] }).allowedValues;
    return `${where}: must be one of ${allowed.map((value) => JSON.stringify(value)).join(', ')}`;
  }
  return `${where}: ${error.message ?? 'is invalid'}`;
}

const unescapePointer = (segment: string): string =>
  segment.replace(/~1/g, '/').replace(/~0/g, '~');

/**
 * `minLength: 1` as the validators check it: in constant time. Ajv measures a string for any
 * length limit by counting its code points, a walk over the whole string; for a limit of one the
 * answer is the same as its `.length` gives (a string has a code point exactly when it has a code
 * unit), and counting was nearly all the time a 10,000-user page took to validate.
 */
const NON_EMPTY = 'x-non-empty';

/**
 * Turns OpenAPI 3.0 schema dialect into JSON Schema: refs point at `#/components/schemas/X`, in the
 * compiled root they are `#/definitions/X`; `nullable: true` becomes a `null` type; `minLength: 1`
 * becomes `NON_EMPTY`.
 */
function asJsonSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(asJsonSchema);
  if (node && typeof node === 'object') {
    const copy: Record<string, unknown> = {};
    const nullable = (node as { nullable?: unknown }).nullable === true;
    for (const [key, value] of Object.entries(node)) {
      if (key === 'discriminator' || key === 'nullable') continue; // oneOf with disjoint enums decides
      if (key === 'minLength' && value === 1) {
        copy[NON_EMPTY] = true;
        continue;
      }
      if (key === 'type' && nullable && typeof value === 'string') {
        copy.type = [value, 'null'];
        continue;
      }
      copy[key] =
        key === '$ref' && typeof value === 'string'
          ? value.replace('#/components/schemas/', '#/definitions/')
          : asJsonSchema(value);
    }
    return copy;
  }
  return node;
}

export function createSchemaValidator(document: OpenApiDocument, id: string): SchemaValidator {
  const ajv = new Ajv({ allErrors: false, strict: true });
  addFormats(ajv);
  ajv.addKeyword({ keyword: 'example' });
  // Where a part of the contract comes from (Heap's spec, its reference app, or ours): prose for readers.
  ajv.addKeyword({ keyword: 'x-source' });
  ajv.addKeyword({
    keyword: NON_EMPTY,
    type: 'string',
    schemaType: 'boolean',
    code: (cxt) => cxt.fail(_`${cxt.data}.length === 0`),
    error: { message: 'must NOT have fewer than 1 characters' },
  });
  ajv.addFormat('int64', {
    type: 'number',
    validate: (value: number) => Number.isSafeInteger(value),
  });
  ajv.addFormat('int32', {
    type: 'number',
    validate: (value: number) => Number.isInteger(value) && Math.abs(value) <= 2 ** 31,
  });
  const rootId = `https://heap-segment-sync-toolkit/${id}`;
  ajv.addSchema({ $id: rootId, definitions: asJsonSchema(document.components.schemas) });

  const compiled = new Map<string, ValidateFunction>();
  const compiledInline = new Map<string, ValidateFunction>();
  const run = (validateFn: ValidateFunction, value: unknown): ValidationResult =>
    validateFn(value)
      ? { ok: true }
      : { ok: false, errors: (validateFn.errors ?? []).map(describeSchemaError) };

  const compiledSchema = (schemaName: string): ValidateFunction => {
    let validateFn = compiled.get(schemaName);
    if (!validateFn) {
      if (!(schemaName in document.components.schemas)) {
        throw new Error(`No schema named ${schemaName} in ${id}`);
      }
      validateFn = ajv.getSchema(`${rootId}#/definitions/${schemaName}`);
      if (!validateFn) throw new Error(`Schema ${schemaName} did not compile`);
      compiled.set(schemaName, validateFn);
    }
    return validateFn;
  };

  return {
    schemaNames: Object.keys(document.components.schemas),
    compile(...schemaNames) {
      for (const schemaName of schemaNames) compiledSchema(schemaName);
    },
    validate(schemaName, value) {
      return run(compiledSchema(schemaName), value);
    },
    validateAgainst(schema, value) {
      const key = JSON.stringify(schema);
      let validateFn = compiledInline.get(key);
      if (!validateFn) {
        const absolute = key.replace(/"#\/components\/schemas\//g, `"${rootId}#/definitions/`);
        validateFn = ajv.compile(asJsonSchema(JSON.parse(absolute)) as object);
        compiledInline.set(key, validateFn);
      }
      return run(validateFn, value);
    },
  };
}
