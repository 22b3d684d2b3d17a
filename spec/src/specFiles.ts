// Locates and reads the OpenAPI files in spec/, the contract everything else is checked against.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

/**
 * spec/ in the package root (the folder with package.json), so the YAML is found both from source
 * (spec/src/) and from compiled code (dist/spec/src/) in a checkout or an installed package.
 */
export const specDir = path.join(
  packageRootAbove(path.dirname(fileURLToPath(import.meta.url))),
  'spec',
);

function packageRootAbove(start: string): string {
  for (let dir = start; path.dirname(dir) !== dir; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json'))) return dir;
  }
  return path.resolve(start, '../..');
}

export const specFiles = {
  webhook: path.join(specDir, 'webhook_spec.yaml'),
  heapPartnerApi: path.join(specDir, 'heap_partner_api.yaml'),
  partnerInspectionApi: path.join(specDir, 'partner_inspection_api.yaml'),
} as const;

/** A parsed OpenAPI document: only the parts this project reads are typed. */
export interface OpenApiDocument {
  paths: Record<string, Record<string, OpenApiOperation>>;
  components: {
    schemas: Record<string, unknown>;
    examples?: Record<string, { summary?: string; value: unknown }>;
    parameters?: Record<string, unknown>;
  };
}

export interface OpenApiOperation {
  operationId?: string;
  requestBody?: {
    content: Record<string, { examples?: Record<string, { $ref?: string; value?: unknown }> }>;
  };
  responses: Record<string, { content?: Record<string, { schema?: unknown }> }>;
}

const cache = new Map<string, OpenApiDocument>();

export function readSpec(file: string): OpenApiDocument {
  let document = cache.get(file);
  if (!document) {
    document = parse(readFileSync(file, 'utf8')) as OpenApiDocument;
    cache.set(file, document);
  }
  return document;
}
