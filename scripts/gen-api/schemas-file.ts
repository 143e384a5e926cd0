/**
 * Assembles src/api/schemas.gen.json: the spec reduced to what runtime validation needs, with
 * every schema converted from Swagger 2.0 to JSON Schema draft-07 in its *strict* form:
 * - `$ref: '#/definitions/X'` is kept; siblings of a `$ref` are dropped (draft-07 ignores them);
 * - `x-nullable: true` becomes "also null" (see makeNullable); nothing else admits null here;
 * - `x-*`, `example(s)`, `description`, `default`, `title` and every `format` are dropped (ajv
 *   knows none of Docker's formats such as int64 or dateTime, and they constrain nothing we need);
 * - Swagger-only types (`file`) become "anything".
 * The lenient form for request bodies is derived from this one at load time (src/api/schema-relax.ts).
 */
import { makeNullable, type JsonSchema, type JsonType } from '../../src/api/json-schema.js';
import type { QueryParam, SpecSchemas } from '../../src/api/spec-schemas.js';
import { bodyParameter, operationsOf, type SwaggerDoc, type SwaggerSchema } from './swagger.js';

const JSON_TYPES = new Set<string>(['string', 'integer', 'number', 'boolean', 'array', 'object']);
const NUMERIC_KEYWORDS = ['minimum', 'maximum', 'minItems', 'maxItems', 'minLength', 'maxLength'];

/** The strict draft-07 form of one Swagger schema. */
export function toJsonSchema(s: SwaggerSchema): JsonSchema {
  const out = s.$ref !== undefined ? { $ref: s.$ref } : convertBody(s);
  return s['x-nullable'] === true ? makeNullable(out) : out;
}

function convertBody(s: SwaggerSchema): JsonSchema {
  const out: JsonSchema = {};
  if (s.type !== undefined && JSON_TYPES.has(s.type)) out.type = s.type as JsonType;
  if (s.enum !== undefined) out.enum = [...s.enum];
  if (s.properties !== undefined) {
    out.properties = {};
    for (const [name, prop] of Object.entries(s.properties)) {
      out.properties[name] = toJsonSchema(prop);
    }
  }
  if (Array.isArray(s.required) && s.required.length > 0) {
    out.required = s.required.filter((r): r is string => typeof r === 'string');
  }
  if (typeof s.additionalProperties === 'boolean')
    out.additionalProperties = s.additionalProperties;
  else if (s.additionalProperties !== undefined) {
    out.additionalProperties = toJsonSchema(s.additionalProperties);
  }
  if (s.items !== undefined) out.items = toJsonSchema(s.items);
  if (s.allOf !== undefined) out.allOf = s.allOf.map(toJsonSchema);
  for (const key of NUMERIC_KEYWORDS) {
    const v = s[key];
    if (typeof v === 'number') (out as Record<string, unknown>)[key] = v;
  }
  if (typeof s.pattern === 'string') out.pattern = s.pattern;
  return out;
}

/** The whole schemas.gen.json object for `doc` (operations keyed "METHOD /path/{template}"). */
export function schemasFile(doc: SwaggerDoc): SpecSchemas {
  const definitions: Record<string, JsonSchema> = {};
  for (const [name, schema] of Object.entries(doc.definitions)) {
    definitions[name] = toJsonSchema(schema);
  }
  const operations: SpecSchemas['operations'] = {};
  for (const { method, path, op } of operationsOf(doc)) {
    const query: QueryParam[] = [];
    for (const p of op.parameters ?? []) {
      if (p.in !== 'query') continue;
      const q: QueryParam = {
        name: p.name,
        type: p.type ?? 'string',
        required: p.required === true,
      };
      const values = p.enum ?? p.items?.enum;
      if (values !== undefined) q.enum = [...values];
      if (p.items?.type !== undefined) q.items = p.items.type;
      if (p.default !== undefined) q.default = p.default;
      query.push(q);
    }
    const responses: Record<string, JsonSchema | null> = {};
    for (const [status, r] of Object.entries(op.responses)) {
      responses[status] = r.schema === undefined ? null : toJsonSchema(r.schema);
    }
    const body = bodyParameter(op);
    operations[`${method} ${path}`] = {
      operationId: op.operationId,
      ...(body?.schema === undefined
        ? {}
        : { body: toJsonSchema(body.schema), bodyRequired: body.required === true }),
      query,
      responses,
    };
  }
  return { version: doc.info.version, definitions, operations };
}
