import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Ajv } from 'ajv';
import type { JsonSchema } from './json-schema.js';
import { operationAt, operationById, specSchemas } from './spec-schemas.js';
import { SPEC_API_VERSION } from './version.js';

/** Every $ref under `schema`. */
function refs(schema: unknown, out: string[] = []): string[] {
  if (typeof schema !== 'object' || schema === null) return out;
  for (const [k, v] of Object.entries(schema)) {
    if (k === '$ref' && typeof v === 'string') out.push(v);
    else refs(v, out);
  }
  return out;
}

test('schemas.gen.json is valid draft-07 and every $ref resolves', () => {
  const spec = specSchemas();
  assert.equal(spec.version, SPEC_API_VERSION);
  const ajv = new Ajv({ strict: true, allErrors: true });
  const schemas: JsonSchema[] = [...Object.values(spec.definitions)];
  for (const op of Object.values(spec.operations)) {
    if (op.body !== undefined) schemas.push(op.body);
    for (const r of Object.values(op.responses)) if (r !== null) schemas.push(r);
  }
  for (const s of schemas) assert.equal(ajv.validateSchema(s), true, ajv.errorsText(ajv.errors));
  for (const ref of refs(spec)) {
    const name = ref.replace('#/definitions/', '');
    assert.ok(ref.startsWith('#/definitions/') && name in spec.definitions, `dangling ${ref}`);
  }
  // strict mode rejects unknown keywords and formats: nothing Swagger-only survived conversion.
  assert.doesNotThrow(() =>
    ajv.compile({ definitions: spec.definitions, $ref: '#/definitions/HostConfig' }),
  );
});

test('operations are found by operationId and by method + path template', () => {
  const create = operationById('ContainerCreate');
  assert.equal(create, operationAt('post', '/containers/create'));
  assert.equal(create?.bodyRequired, true);
  assert.deepEqual(Object.keys(create?.responses ?? {}), ['201', '400', '404', '409', '500']);
  const name = create?.query.find((q) => q.name === 'name');
  assert.deepEqual(name, { name: 'name', type: 'string', required: false });
  const wait = operationAt('POST', '/containers/{id}/wait');
  assert.deepEqual(wait?.query[0]?.enum, ['not-running', 'next-exit', 'removed']);
  assert.equal(operationAt('GET', '/nowhere'), undefined);
});
