/**
 * The parts of a Swagger 2.0 document the API generator reads, parsed with `yaml` and checked just
 * enough that the emitters can trust the shape (the spec is pinned, but a bad edit must fail loudly).
 */
import { parse } from 'yaml';

/** A Swagger schema object: JSON Schema plus the `x-*` vendor extensions Docker uses. */
export interface SwaggerSchema {
  $ref?: string;
  type?: string;
  format?: string;
  description?: string;
  enum?: unknown[];
  properties?: Record<string, SwaggerSchema>;
  required?: unknown;
  additionalProperties?: SwaggerSchema | boolean;
  items?: SwaggerSchema;
  allOf?: SwaggerSchema[];
  'x-nullable'?: boolean;
  [other: string]: unknown;
}

/** A Swagger parameter (path, query, header or body). */
export interface SwaggerParameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'body' | 'formData';
  type?: string;
  required?: boolean;
  enum?: unknown[];
  default?: unknown;
  items?: SwaggerSchema;
  schema?: SwaggerSchema;
  description?: string;
}

/** One operation (method + path) of the spec. */
export interface SwaggerOperation {
  operationId: string;
  summary?: string;
  parameters?: SwaggerParameter[];
  responses: Record<string, { description?: string; schema?: SwaggerSchema }>;
}

/** The whole document, reduced to what the generator reads. */
export interface SwaggerDoc {
  info: { version: string };
  definitions: Record<string, SwaggerSchema>;
  paths: Record<string, Record<string, SwaggerOperation>>;
}

/** An operation with its HTTP method (upper case) and path template, in spec order. */
export interface OperationEntry {
  method: string;
  path: string;
  op: SwaggerOperation;
}

const METHODS = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch']);

/** Parses swagger.yaml text; throws with a clear message when the document is not Swagger 2.0. */
export function parseSwagger(text: string): SwaggerDoc {
  const doc: unknown = parse(text);
  if (typeof doc !== 'object' || doc === null) throw new Error('swagger: not a YAML mapping');
  const d = doc as Partial<SwaggerDoc> & { swagger?: unknown };
  if (d.swagger !== '2.0')
    throw new Error(`swagger: expected swagger "2.0", got ${String(d.swagger)}`);
  if (typeof d.info?.version !== 'string') throw new Error('swagger: info.version is missing');
  if (typeof d.definitions !== 'object' || typeof d.paths !== 'object') {
    throw new Error('swagger: definitions or paths missing');
  }
  return d as SwaggerDoc;
}

/** Every operation of the spec in document order; each must have an operationId. */
export function operationsOf(doc: SwaggerDoc): OperationEntry[] {
  const out: OperationEntry[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      if (!METHODS.has(method)) continue;
      if (typeof op.operationId !== 'string') {
        throw new Error(`swagger: ${method.toUpperCase()} ${path} has no operationId`);
      }
      out.push({ method: method.toUpperCase(), path, op });
    }
  }
  return out;
}

/** The body parameter of an operation, if it has one. */
export function bodyParameter(op: SwaggerOperation): SwaggerParameter | undefined {
  return op.parameters?.find((p) => p.in === 'body');
}

/** The name a `$ref: '#/definitions/X'` points at; throws on any other kind of reference. */
export function refName(ref: string): string {
  const prefix = '#/definitions/';
  if (!ref.startsWith(prefix)) throw new Error(`swagger: unsupported $ref ${ref}`);
  return ref.slice(prefix.length);
}
