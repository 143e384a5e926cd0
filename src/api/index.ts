/**
 * Berth's wire contract: types generated from the pinned Engine API spec, the spec's version, and
 * runtime validation of request bodies. Nothing here imports from the rest of src/.
 */
export type * from './types.gen.js';
export { SPEC_API_VERSION } from './version.js';
export { validateRequestBody } from './validate.js';
export { RequestValidationError } from './request-validation-error.js';
