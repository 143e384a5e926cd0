/**
 * Swagger schema → TypeScript source. One declaration per schema: an `interface` for a plain
 * object with properties, a `type` alias for everything else (enums, arrays, maps, allOf).
 * Properties are optional unless `required`; `x-nullable` adds `| null`.
 */
import { refName, type SwaggerSchema } from './swagger.js';

const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** A property key as TS source: bare when it is an identifier, quoted otherwise. */
function propertyKey(name: string): string {
  return IDENT.test(name) ? name : JSON.stringify(name);
}

/** A JSDoc block (first paragraph of `description`) at `indent`, or '' when there is none. */
export function jsDoc(description: unknown, indent: string): string {
  if (typeof description !== 'string') return '';
  const first = description.trim().split(/\n\s*\n/)[0] ?? '';
  const lines = first
    .split('\n')
    .map((l) => l.trimEnd().replaceAll('*/', '*\\/'))
    .filter((l) => l.trim() !== '');
  if (lines.length === 0) return '';
  if (lines.length === 1) return `${indent}/** ${lines[0]?.trim() ?? ''} */\n`;
  return `${indent}/**\n${lines.map((l) => `${indent} * ${l.trim()}`).join('\n')}\n${indent} */\n`;
}

/** A literal type for one enum value; `{}` (Docker's "empty object" marker) is Record<string, never>. */
function literal(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'object') return 'Record<string, never>';
  return JSON.stringify(value);
}

/** `{type: 'object'}` with nothing else that constrains it. */
function isBareObject(s: SwaggerSchema): boolean {
  return (
    s.type === 'object' &&
    s.properties === undefined &&
    s.additionalProperties === undefined &&
    s.allOf === undefined &&
    s.$ref === undefined &&
    s.enum === undefined
  );
}

/** True when the type of `s` is a top-level union or intersection (needs parentheses in `T[]`). */
function isCompound(s: SwaggerSchema): boolean {
  if (s['x-nullable'] === true) return true;
  if (s.$ref !== undefined) return false;
  if (s.allOf !== undefined) return s.allOf.length > 1;
  if (s.enum !== undefined) return new Set(s.enum.map(literal)).size > 1;
  const hasProps = s.properties !== undefined && Object.keys(s.properties).length > 0;
  return hasProps && s.additionalProperties !== undefined && s.additionalProperties !== false;
}

/** `tsType(s)`, parenthesised when it is a union or intersection. */
function operand(s: SwaggerSchema, indent: string): string {
  const t = tsType(s, indent);
  return isCompound(s) ? `(${t})` : t;
}

/** The TS type expression for `schema`; nested object literals are indented from `indent`. */
export function tsType(schema: SwaggerSchema, indent = ''): string {
  const base = baseType(schema, indent);
  return schema['x-nullable'] === true && base !== 'unknown' ? `${base} | null` : base;
}

function baseType(s: SwaggerSchema, indent: string): string {
  if (s.$ref !== undefined) return refName(s.$ref);
  if (s.allOf !== undefined) {
    // A bare `{type: object}` part (Docker uses them as placeholders) adds nothing but looseness.
    const parts = s.allOf.filter((part) => !isBareObject(part));
    const kept = parts.length > 0 ? parts : s.allOf;
    return kept.map((part) => operand(part, indent)).join(' & ');
  }
  if (s.enum !== undefined) return [...new Set(s.enum.map(literal))].join(' | ');
  switch (s.type) {
    case 'string':
      return 'string';
    case 'integer':
    case 'number':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'array':
      return s.items === undefined ? 'unknown[]' : `${operand(s.items, indent)}[]`;
    case 'object':
    case undefined:
      return objectType(s, indent);
    default:
      return 'unknown';
  }
}

/** The value type of a map (`additionalProperties`). */
function mapValueType(s: SwaggerSchema, indent: string): string {
  const ap = s.additionalProperties;
  if (ap === undefined || ap === true || (typeof ap === 'object' && Object.keys(ap).length === 0)) {
    return 'unknown';
  }
  return ap === false ? 'never' : tsType(ap, indent);
}

function objectType(s: SwaggerSchema, indent: string): string {
  const props = s.properties;
  const hasProps = props !== undefined && Object.keys(props).length > 0;
  if (!hasProps) {
    if (s.type === undefined && s.additionalProperties === undefined) return 'unknown';
    return `Record<string, ${mapValueType(s, indent)}>`;
  }
  const literalType = objectLiteral(s, indent);
  if (s.additionalProperties === undefined || s.additionalProperties === false) return literalType;
  return `${literalType} & Record<string, ${mapValueType(s, indent)}>`;
}

/** `{ ...members }` for an object schema with properties. */
export function objectLiteral(s: SwaggerSchema, indent: string): string {
  const required = new Set(Array.isArray(s.required) ? (s.required as unknown[]) : []);
  const inner = `${indent}  `;
  const members = Object.entries(s.properties ?? {}).map(([name, prop]) => {
    const optional = required.has(name) ? '' : '?';
    return `${jsDoc(prop.description, inner)}${inner}${propertyKey(name)}${optional}: ${tsType(prop, inner)};\n`;
  });
  return `{\n${members.join('')}${indent}}`;
}

/** A complete exported declaration named `name` for `schema`, with its JSDoc. */
export function declaration(name: string, schema: SwaggerSchema, doc?: string): string {
  const head = jsDoc(doc ?? schema.description, '');
  const isPlainObject =
    schema.$ref === undefined &&
    schema.allOf === undefined &&
    schema.enum === undefined &&
    (schema.type === 'object' || schema.type === undefined) &&
    schema.properties !== undefined &&
    Object.keys(schema.properties).length > 0 &&
    schema.additionalProperties === undefined &&
    schema['x-nullable'] !== true;
  if (isPlainObject) return `${head}export interface ${name} ${objectLiteral(schema, '')}\n`;
  return `${head}export type ${name} = ${tsType(schema, '')};\n`;
}
