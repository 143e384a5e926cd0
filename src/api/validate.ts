/**
 * Runtime validation of request bodies at the HTTP edge, against the lenient form of the spec's
 * schemas (see schema-relax.ts: any nested value may be null, strslice fields may be a string).
 * Unknown extra properties are allowed, as Docker ignores them. Only the first problem is reported.
 *
 * After validation a body has the shape of its generated type (e.g. ContainerCreateBody) except
 * that any property may be null and Cmd/Entrypoint/Shell/Healthcheck.Test may be a string:
 * handlers normalize those before use.
 */
import { describeError } from './error-path.js';
import { RequestValidationError } from './request-validation-error.js';
import { lenientForRequest } from './schema-relax.js';
import { SchemaSet } from './schema-set.js';
import { operationById } from './spec-schemas.js';

const requests = new SchemaSet('berth-request.json', (s) => lenientForRequest(s, true));

/**
 * Checks `body` (the parsed JSON, or undefined when the request had none) against the body schema
 * of `operationId`. Throws RequestValidationError naming the offending field, e.g. "invalid value
 * for HostConfig.Memory: must be integer". Operations without a body schema accept anything.
 * Throws a plain Error for an operationId the spec does not have (a programming error).
 */
export function validateRequestBody(operationId: string, body: unknown): void {
  const op = operationById(operationId);
  if (op === undefined) throw new Error(`validateRequestBody: unknown operation ${operationId}`);
  const schema = op.body;
  if (schema === undefined) return;
  if (body === undefined) {
    if (op.bodyRequired === true) {
      throw new RequestValidationError(operationId, '', 'request body is required');
    }
    return;
  }
  if (body === null) {
    throw new RequestValidationError(operationId, '', 'invalid request body: must not be null');
  }
  const validate = requests.validator(operationId, () => lenientForRequest(schema, false));
  if (validate(body)) return;
  const first = validate.errors?.[0];
  if (first === undefined)
    throw new RequestValidationError(operationId, '', 'invalid request body');
  const { field, message } = describeError(first, body, 'request body');
  throw new RequestValidationError(operationId, field, message);
}
