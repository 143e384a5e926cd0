/**
 * Test helper: checks that a response Berth sent is one the pinned Engine API spec allows.
 *
 * Bodies are validated against the spec's response schema in its *tolerant* form (see
 * src/api/schema-relax.ts): nulls are accepted where the spec says x-nullable and, because real
 * dockerd marshals nil Go slices and maps as null (Labels, Mounts, Ports, Binds, Cmd...) where the
 * spec is silent, for every array and map too (and for MemorySwappiness/OomKillDisable, which
 * dockerd emits as null). Other objects and scalars stay strict; a response's root is never null.
 * Extra properties are allowed, as in the spec (no schema says additionalProperties: false).
 */
import assert from 'node:assert/strict';
import { describeError } from '../../src/api/error-path.js';
import { tolerantForResponse } from '../../src/api/schema-relax.js';
import { SchemaSet } from '../../src/api/schema-set.js';
import { operationAt, type OperationSchemas } from '../../src/api/spec-schemas.js';

const responses = new SchemaSet('berth-response.json', (s) => tolerantForResponse(s, true));

function operation(method: string, pathTemplate: string): OperationSchemas {
  const op = operationAt(method, pathTemplate);
  assert.ok(op, `the spec has no operation ${method.toUpperCase()} ${pathTemplate}`);
  return op;
}

/**
 * Asserts that `status` is one of the status codes the spec lists for the operation at
 * `method pathTemplate` (e.g. 'GET', '/containers/{id}/json').
 */
export function assertStatusInSpec(method: string, pathTemplate: string, status: number): void {
  const op = operation(method, pathTemplate);
  const listed = Object.keys(op.responses);
  assert.ok(
    listed.includes(String(status)),
    `${op.operationId} (${method.toUpperCase()} ${pathTemplate}) answered ${status}; ` +
      `the spec lists ${listed.join(', ')}`,
  );
}

/**
 * Asserts that `body` (parsed JSON) matches the spec's response schema for that operation and
 * status. The status must be listed; a response the spec gives no schema must have no body
 * (undefined, null or ''). Failure messages name the field, e.g. "ContainerInspect 200: invalid
 * value for State.Pid: must be integer".
 */
export function assertMatchesSpec(
  method: string,
  pathTemplate: string,
  status: number,
  body: unknown,
): void {
  assertStatusInSpec(method, pathTemplate, status);
  const op = operation(method, pathTemplate);
  const schema = op.responses[String(status)];
  const label = `${op.operationId} ${status}`;
  if (schema === null || schema === undefined) {
    assert.ok(
      body === undefined || body === null || body === '',
      `${label}: the spec defines no response body, got ${JSON.stringify(body)}`,
    );
    return;
  }
  const validate = responses.validator(label, () => tolerantForResponse(schema, false));
  if (validate(body)) return;
  const first = validate.errors?.[0];
  const problem =
    first === undefined ? 'does not match' : describeError(first, body, 'body').message;
  assert.fail(`${label}: ${problem}`);
}
