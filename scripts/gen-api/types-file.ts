/**
 * Assembles src/api/types.gen.ts: every definition of the spec, then per operation (spec order)
 * the inline body (`<OperationId>Body`), inline responses (`<OperationId><Status>Response`), an
 * alias for the main success response (`<OperationId>Response`, when that name is free) and the
 * query parameters (`<OperationId>Query`). Primitive bodies/responses (tar streams, plain text)
 * get no type: there is nothing to describe.
 */
import { declaration } from './ts-emit.js';
import {
  bodyParameter,
  operationsOf,
  refName,
  type SwaggerDoc,
  type SwaggerSchema,
} from './swagger.js';

/** True for schemas worth a named type: objects, arrays, maps, compositions. */
function isStructured(s: SwaggerSchema): boolean {
  return (
    s.type === 'object' || s.type === 'array' || s.allOf !== undefined || s.properties !== undefined
  );
}

/** The header line both generated files start with. */
export function generatedHeader(version: string): string {
  return `// generated from swagger.yaml v${version} by scripts/gen-api.ts — do not edit`;
}

/** The full text of types.gen.ts for `doc`. Throws if two declarations would share a name. */
export function typesFile(doc: SwaggerDoc): string {
  const names = new Set<string>();
  const out: string[] = [`${generatedHeader(doc.info.version)}\n`];
  const emit = (name: string, schema: SwaggerSchema, jsdoc?: string): void => {
    if (names.has(name)) throw new Error(`gen-api: two types would be named ${name}`);
    names.add(name);
    out.push(declaration(name, schema, jsdoc));
  };

  out.push('// ---- definitions ----\n');
  for (const [name, schema] of Object.entries(doc.definitions)) emit(name, schema);

  out.push('// ---- operations: bodies, responses, query parameters ----\n');
  for (const { method, path, op } of operationsOf(doc)) {
    const id = op.operationId;
    const where = `${method} ${path}`;
    const body = bodyParameter(op)?.schema;
    if (body !== undefined && body.$ref === undefined && isStructured(body)) {
      emit(`${id}Body`, body, `Request body of ${where}.`);
    }
    let success: string | undefined;
    for (const [status, response] of Object.entries(op.responses)) {
      const schema = response.schema;
      if (schema === undefined) continue;
      const isSuccess = status.startsWith('2') && success === undefined;
      if (schema.$ref !== undefined) {
        if (isSuccess) success = refName(schema.$ref);
      } else if (isStructured(schema)) {
        const name = `${id}${status}Response`;
        emit(name, schema, `Response ${status} of ${where}.`);
        if (isSuccess) success = name;
      }
    }
    const alias = `${id}Response`;
    if (success !== undefined && success !== alias && !(alias in doc.definitions)) {
      emit(alias, { $ref: `#/definitions/${success}` }, `Success response of ${where}.`);
    }
    const query = (op.parameters ?? []).filter((p) => p.in === 'query');
    if (query.length > 0) {
      const properties: Record<string, SwaggerSchema> = {};
      for (const p of query) {
        const prop: SwaggerSchema = {};
        if (p.description !== undefined) prop.description = p.description;
        if (p.type !== undefined) prop.type = p.type;
        if (p.enum !== undefined) prop.enum = p.enum;
        if (p.items !== undefined) prop.items = p.items;
        properties[p.name] = prop;
      }
      const required = query.filter((p) => p.required === true).map((p) => p.name);
      emit(`${id}Query`, { type: 'object', properties, required }, `Query parameters of ${where}.`);
    }
  }
  return out.join('\n');
}
