/**
 * The two relaxations of the strict schemas in schemas.gen.json, derived at load time (one file on
 * disk, two views; cheaper than shipping the spec twice).
 *
 * Request (lenient) form — what Docker itself accepts. Go's JSON decoder treats `null` as "leave
 * the zero value", so real clients send null for any field (the docker CLI sends "Entrypoint":
 * null, "Binds": null, "MemorySwappiness": null...). Hence every value below the body's root also
 * admits null. And Docker's strslice fields accept a bare string for an array of strings (`"Cmd":
 * "echo hi"`), so Cmd, Entrypoint, Shell and Healthcheck.Test (named in STRSLICE_FIELDS) also
 * accept a string when the spec says array-of-string. Finally, a string enum also accepts '' (Go's
 * zero value, which clients send to mean "the default", e.g. "LogConfig": {"Type": ""}), and
 * numeric and length bounds are dropped: Go's decoder does not check them, and dockerd's own
 * semantic checks accept values the spec's bounds exclude (MemorySwappiness -1 means "unset").
 * Those checks belong to the services, which answer with Docker's own messages.
 *
 * Response (tolerant) form — what real dockerd emits. Go marshals a nil slice or map as null, and
 * dockerd does so for Labels, Mounts, Ports, Binds, Cmd... in places the spec does not mark
 * x-nullable. Hence arrays and maps (objects with additionalProperties but no properties) also
 * admit null, as do the few scalars in NULL_SCALAR_FIELDS; other objects with properties and
 * scalars stay strict (nulls only where x-nullable).
 */
import { makeNullable, mapChildren, type JsonSchema } from './json-schema.js';

/** Properties that Docker decodes as strslice: a string or an array of strings. */
export const STRSLICE_FIELDS: ReadonlySet<string> = new Set(['Cmd', 'Entrypoint', 'Shell', 'Test']);

/** Range and size keywords the request form drops (see the module comment). */
const BOUNDS = ['minimum', 'maximum', 'minItems', 'maxItems', 'minLength', 'maxLength'] as const;

function isStringArray(s: JsonSchema): boolean {
  const types = s.type === undefined ? [] : [s.type].flat();
  const items = s.items?.type === undefined ? [] : [s.items.type].flat();
  return types.includes('array') && items.includes('string') && s.$ref === undefined;
}

/**
 * The lenient request form of `schema`. `nullable` says whether this node itself admits null:
 * true for definitions and nested values, false for a request body's root. A pure `$ref` is left
 * alone because its target definition is itself relaxed (and so admits null).
 */
export function lenientForRequest(schema: JsonSchema, nullable: boolean): JsonSchema {
  const out = mapChildren(schema, (child, slot) => {
    const inner = lenientForRequest(child, slot.kind !== 'allOf' && slot.kind !== 'anyOf');
    if (slot.kind === 'property' && STRSLICE_FIELDS.has(slot.name) && isStringArray(child)) {
      return { ...inner, type: ['array', 'string', 'null'] };
    }
    return inner;
  });
  for (const bound of BOUNDS) delete out[bound];
  if (
    out.enum !== undefined &&
    out.enum.every((v) => typeof v === 'string') &&
    !out.enum.includes('')
  ) {
    out.enum = [...out.enum, ''];
  }
  return nullable && schema.$ref === undefined ? makeNullable(out) : out;
}

function isMap(s: JsonSchema): boolean {
  const hasProps = s.properties !== undefined && Object.keys(s.properties).length > 0;
  return !hasProps && s.additionalProperties !== undefined && s.additionalProperties !== false;
}

function isArray(s: JsonSchema): boolean {
  return s.type === 'array' || (Array.isArray(s.type) && s.type.includes('array'));
}

/**
 * Scalars real dockerd emits as null (Go pointers without omitempty in its Resources struct)
 * although the spec does not mark them x-nullable.
 */
export const NULL_SCALAR_FIELDS: ReadonlySet<string> = new Set([
  'MemorySwappiness',
  'OomKillDisable',
]);

/**
 * The tolerant response form of `schema`: arrays, maps and NULL_SCALAR_FIELDS anywhere below it
 * also admit null. `nullableRoot` is true for definitions, false for a response's root (an
 * endpoint answering `null` instead of `[]` is a bug worth catching).
 */
export function tolerantForResponse(schema: JsonSchema, nullableRoot = true): JsonSchema {
  const out = mapChildren(schema, (child, slot) => {
    const inner = tolerantForResponse(child, slot.kind !== 'allOf' && slot.kind !== 'anyOf');
    const forced = slot.kind === 'property' && NULL_SCALAR_FIELDS.has(slot.name);
    return forced ? makeNullable(inner) : inner;
  });
  openLogDriverEnum(out);
  return nullableRoot && (isArray(out) || isMap(out)) ? makeNullable(out) : out;
}

/**
 * LogConfig.Type lists Docker's built-in log drivers, but the set is open: log-driver plugins add
 * names, and Berth's driver is conmon's `k8s-file`. Responses may carry any name there.
 */
function openLogDriverEnum(s: JsonSchema): void {
  const type = s.properties?.['Type'];
  if (type?.enum?.includes('json-file') && s.properties?.['Config'] !== undefined) delete type.enum;
}

/** Applies `relax` to every definition (the definitions document used for `$ref` resolution). */
export function relaxDefinitions(
  definitions: Record<string, JsonSchema>,
  relax: (schema: JsonSchema) => JsonSchema,
): Record<string, JsonSchema> {
  const out: Record<string, JsonSchema> = {};
  for (const [name, schema] of Object.entries(definitions)) out[name] = relax(schema);
  return out;
}
