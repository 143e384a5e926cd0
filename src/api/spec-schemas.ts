/**
 * The shape of schemas.gen.json and its lazy loader. The file is read on first use, not at import,
 * so that importing src/api costs nothing until something is validated.
 */
import { readFileSync } from 'node:fs';
import type { JsonSchema } from './json-schema.js';

/** One query parameter of an operation. For arrays, `items` is the element type and `enum` applies per element. */
export interface QueryParam {
  name: string;
  type: string;
  required: boolean;
  enum?: unknown[];
  items?: string;
  default?: unknown;
}

/** What runtime validation knows about one operation; schemas are in the strict form. */
export interface OperationSchemas {
  operationId: string;
  /** The JSON body schema; absent when the operation takes no body. */
  body?: JsonSchema;
  /** Whether the spec marks the body as required. */
  bodyRequired?: boolean;
  query: QueryParam[];
  /** Status code → response schema, or null when the response has no body. */
  responses: Record<string, JsonSchema | null>;
}

/** The whole of schemas.gen.json. */
export interface SpecSchemas {
  /** The spec's info.version, e.g. '1.56'. */
  version: string;
  definitions: Record<string, JsonSchema>;
  /** Keyed by "METHOD /path/{template}", e.g. "POST /containers/create". */
  operations: Record<string, OperationSchemas>;
}

/**
 * Makes tsc copy schemas.gen.json next to the compiled module (a type-only reference emits no
 * code, but puts the file in the program). Not meant to be used as a type.
 */
// A type-only `import` would not do: tsc copies a JSON file only when an import() type names it.
// eslint-disable-next-line @typescript-eslint/consistent-type-imports
export type SchemasFileReference = typeof import('./schemas.gen.json', { with: { type: 'json' } });

let loaded: { spec: SpecSchemas; byId: Map<string, OperationSchemas> } | undefined;

function load(): NonNullable<typeof loaded> {
  if (loaded === undefined) {
    const text = readFileSync(new URL('./schemas.gen.json', import.meta.url), 'utf8');
    const spec = JSON.parse(text) as SpecSchemas;
    const byId = new Map(Object.values(spec.operations).map((op) => [op.operationId, op]));
    loaded = { spec, byId };
  }
  return loaded;
}

/** The parsed schemas.gen.json (read once, then cached). Callers must not mutate it. */
export function specSchemas(): SpecSchemas {
  return load().spec;
}

/** The operation with this operationId, or undefined. */
export function operationById(operationId: string): OperationSchemas | undefined {
  return load().byId.get(operationId);
}

/** The operation at `METHOD pathTemplate` (method case-insensitive), or undefined. */
export function operationAt(method: string, pathTemplate: string): OperationSchemas | undefined {
  return load().spec.operations[`${method.toUpperCase()} ${pathTemplate}`];
}
