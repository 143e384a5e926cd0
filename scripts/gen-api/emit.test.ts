import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { generate, repoRoot, staleFiles } from '../gen-api.js';
import { toJsonSchema } from './schemas-file.js';
import { declaration, jsDoc, tsType } from './ts-emit.js';

test('declarations: interfaces for plain objects, aliases for the rest', () => {
  const obj = declaration('Thing', {
    type: 'object',
    description: 'A thing.\n\nMore words.',
    required: ['Id'],
    properties: {
      Id: { type: 'string' },
      'odd-key': { type: 'integer', 'x-nullable': true },
      Tags: { type: 'array', items: { type: 'string', enum: ['a', 'b'] } },
      Labels: { type: 'object', additionalProperties: { type: 'string' } },
      Any: { type: 'object' },
    },
  });
  assert.equal(
    obj,
    '/** A thing. */\nexport interface Thing {\n  Id: string;\n  "odd-key"?: number | null;\n' +
      '  Tags?: ("a" | "b")[];\n  Labels?: Record<string, string>;\n  Any?: Record<string, unknown>;\n}\n',
  );
  assert.equal(
    declaration('Both', {
      allOf: [{ $ref: '#/definitions/A' }, { properties: { X: { type: 'boolean' } } }],
    }),
    'export type Both = A & {\n  X?: boolean;\n};\n',
  );
  assert.equal(
    declaration('Kind', { type: 'integer', enum: [0, 1] }),
    'export type Kind = 0 | 1;\n',
  );
  assert.equal(tsType({ type: 'object', enum: [{}] }), 'Record<string, never>');
  assert.equal(tsType({ $ref: '#/definitions/A', 'x-nullable': true }), 'A | null');
  assert.equal(jsDoc('ends */ here', ''), '/** ends *\\/ here */\n');
});

test('JSON Schema conversion drops Swagger-only keywords and honours x-nullable', () => {
  assert.deepEqual(
    toJsonSchema({ type: 'integer', format: 'int64', example: 3, 'x-go-name': 'N', default: 0 }),
    { type: 'integer' },
  );
  assert.deepEqual(
    toJsonSchema({ $ref: '#/definitions/A', description: 'x', 'x-nullable': true }),
    {
      anyOf: [{ $ref: '#/definitions/A' }, { type: 'null' }],
    },
  );
  assert.deepEqual(toJsonSchema({ type: 'file' }), {});
});

test('the committed generated files are what the pinned spec generates (the --check contract)', () => {
  const root = repoRoot();
  const spec = join(root, '..', 'shared', 'reference', 'docker-engine-api', 'swagger.yaml');
  const files = generate(readFileSync(spec, 'utf8'));
  assert.deepEqual([...files.keys()].sort(), [
    'src/api/schemas.gen.json',
    'src/api/types.gen.ts',
    'src/api/version.ts',
  ]);
  assert.match(
    files.get('src/api/types.gen.ts') ?? '',
    /^\/\/ generated from swagger.yaml v1\.56 by/,
  );
  assert.match(
    files.get('src/api/types.gen.ts') ?? '',
    /export type ContainerCreateBody = ContainerConfig & \{/,
  );
  assert.deepEqual(staleFiles(root, files), []);
  const changed = new Map(files).set('src/api/version.ts', 'stale');
  assert.deepEqual(staleFiles(root, changed), ['src/api/version.ts']);
});
