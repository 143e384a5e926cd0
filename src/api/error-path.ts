/**
 * Turns an ajv error into words a Docker user understands: the field as they would write it
 * (`HostConfig.Memory`, `Cmd[0]`, `HostConfig.PortBindings["80/tcp"]`) and what is wrong with it.
 */
import type { ErrorObject } from 'ajv';

const IDENT = /^[A-Za-z_$][A-Za-z0-9_$-]*$/;

/** Decodes one JSON Pointer segment (RFC 6901). */
function unescapeSegment(segment: string): string {
  return segment.replaceAll('~1', '/').replaceAll('~0', '~');
}

/**
 * The user-facing path of a JSON Pointer into `data`: `.name` for object keys (bracketed and quoted
 * when not a plain word), `[n]` for array indexes. Walking `data` tells an index from a key that
 * happens to be numeric. The root is ''.
 */
export function fieldPath(pointer: string, data: unknown): string {
  if (pointer === '') return '';
  let out = '';
  let node: unknown = data;
  for (const raw of pointer.slice(1).split('/')) {
    const key = unescapeSegment(raw);
    if (Array.isArray(node)) {
      out += `[${key}]`;
      node = node[Number(key)];
    } else {
      out += IDENT.test(key) ? (out === '' ? key : `.${key}`) : `[${JSON.stringify(key)}]`;
      node =
        typeof node === 'object' && node !== null
          ? (node as Record<string, unknown>)[key]
          : undefined;
    }
  }
  return out;
}

function joinField(parent: string, name: string): string {
  if (!IDENT.test(name)) return `${parent}[${JSON.stringify(name)}]`;
  return parent === '' ? name : `${parent}.${name}`;
}

/** What is wrong, in a few words ("must be integer", "must be one of: "no", "always""). */
function problem(error: ErrorObject): string {
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'type': {
      const types = [params['type']].flat().filter((t) => t !== 'null');
      return `must be ${types.join(' or ')}`;
    }
    case 'enum': {
      const allowed = (params['allowedValues'] as unknown[]).filter((v) => v !== null);
      return `must be one of: ${allowed.map((v) => JSON.stringify(v)).join(', ')}`;
    }
    default:
      return error.message ?? `fails ${error.keyword}`;
  }
}

/** The field an error is about and a one-line description of it. */
export interface FieldProblem {
  /** User-facing path of the offending field; '' for the value as a whole. */
  field: string;
  /** E.g. "invalid value for HostConfig.Memory: must be integer". */
  message: string;
}

/** Describes `error` (raised while validating `data`) for a user; `what` names the root value. */
export function describeError(error: ErrorObject, data: unknown, what: string): FieldProblem {
  const at = fieldPath(error.instancePath, data);
  if (error.keyword === 'required') {
    const field = joinField(
      at,
      String((error.params as { missingProperty?: unknown }).missingProperty),
    );
    return { field, message: `missing required field ${field}` };
  }
  const message =
    at === '' ? `invalid ${what}: ${problem(error)}` : `invalid value for ${at}: ${problem(error)}`;
  return { field: at, message };
}
