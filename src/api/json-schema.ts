/**
 * The small slice of JSON Schema (draft-07) that the generated `schemas.gen.json` uses, and the
 * helpers shared by the generator (scripts/gen-api) and the runtime relaxations (schema-relax.ts).
 * Pure functions: inputs are never mutated, outputs never share nodes with inputs.
 */

/** A JSON Schema node as stored in schemas.gen.json (plain JSON, no functions). */
export interface JsonSchema {
  $ref?: string;
  type?: JsonType | JsonType[];
  enum?: unknown[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: JsonSchema | boolean;
  items?: JsonSchema;
  allOf?: JsonSchema[];
  anyOf?: JsonSchema[];
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
}

/** The JSON value types a schema's `type` may name. */
export type JsonType = 'string' | 'integer' | 'number' | 'boolean' | 'array' | 'object' | 'null';

/** True when `schema` already admits `null` at its top level. */
export function admitsNull(schema: JsonSchema): boolean {
  if (Object.keys(schema).length === 0) return true;
  if (schema.anyOf?.some(admitsNull)) return true;
  const types = schema.type === undefined ? [] : [schema.type].flat();
  if (types.includes('null')) return schema.enum === undefined || schema.enum.includes(null);
  return false;
}

/**
 * `schema` widened to also accept `null`. A typed node gets 'null' added to its `type` (and to its
 * `enum`); anything else (`$ref`, `allOf`) is wrapped as `anyOf: [schema, {type: 'null'}]` because
 * draft-07 ignores siblings of `$ref`. The original branch comes first so that, when a value fails
 * both, the first error reported is the useful one from the original schema.
 */
export function makeNullable(schema: JsonSchema): JsonSchema {
  if (admitsNull(schema)) return schema;
  if (schema.type !== undefined && schema.$ref === undefined && schema.allOf === undefined) {
    const out: JsonSchema = { ...schema, type: [...[schema.type].flat(), 'null'] };
    if (schema.enum !== undefined) out.enum = [...schema.enum, null];
    return out;
  }
  return { anyOf: [schema, { type: 'null' }] };
}

/** The subschemas of a node, rebuilt through `fn` (properties, items, additionalProperties, allOf, anyOf). */
export function mapChildren(
  schema: JsonSchema,
  fn: (child: JsonSchema, where: ChildSlot) => JsonSchema,
): JsonSchema {
  const out: JsonSchema = { ...schema };
  if (schema.properties !== undefined) {
    const props: Record<string, JsonSchema> = {};
    for (const [name, child] of Object.entries(schema.properties)) {
      props[name] = fn(child, { kind: 'property', name });
    }
    out.properties = props;
  }
  if (schema.items !== undefined) out.items = fn(schema.items, { kind: 'items' });
  if (typeof schema.additionalProperties === 'object') {
    out.additionalProperties = fn(schema.additionalProperties, { kind: 'additionalProperties' });
  }
  if (schema.allOf !== undefined) out.allOf = schema.allOf.map((c) => fn(c, { kind: 'allOf' }));
  if (schema.anyOf !== undefined) out.anyOf = schema.anyOf.map((c) => fn(c, { kind: 'anyOf' }));
  return out;
}

/** Where a child schema sits in its parent; see mapChildren. */
export type ChildSlot =
  | { kind: 'property'; name: string }
  | { kind: 'items' | 'additionalProperties' | 'allOf' | 'anyOf' };

/** Every `$ref: '#/definitions/X'` under `schema` rewritten to `${docId}#/definitions/X`. */
export function qualifyRefs(schema: JsonSchema, docId: string): JsonSchema {
  const out = mapChildren(schema, (child) => qualifyRefs(child, docId));
  if (schema.$ref?.startsWith('#/') === true) out.$ref = `${docId}${schema.$ref}`;
  return out;
}
