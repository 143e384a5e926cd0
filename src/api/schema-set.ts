/**
 * A lazily built ajv instance over one view (lenient or tolerant) of the spec's definitions, with
 * compiled validators cached by key. Nothing happens at construction: ajv itself is loaded, the
 * definitions relaxed and registered, and each schema compiled only on first use — importing
 * src/api must stay cheap for the CLI and for tools that never validate.
 */
import { createRequire } from 'node:module';
import type { Ajv as AjvClass, ValidateFunction } from 'ajv';
import { qualifyRefs, type JsonSchema } from './json-schema.js';
import { relaxDefinitions } from './schema-relax.js';
import { specSchemas } from './spec-schemas.js';

const require = createRequire(import.meta.url);

/** The ajv options the whole project validates with: first error only, Swagger leftovers ignored. */
const AJV_OPTIONS = { allErrors: false, strict: false } as const;

/** One relaxed view of the spec, compiled on demand. */
export class SchemaSet {
  #ajv: AjvClass | undefined;
  readonly #cache = new Map<string, ValidateFunction>();

  /**
   * @param docId  the `$id` the relaxed definitions are registered under (unique per view)
   * @param relax  the transformation applied to every definition; schemas passed to validator()
   *               are compiled as given (the caller relaxes them, since a root may differ)
   */
  constructor(
    private readonly docId: string,
    private readonly relax: (schema: JsonSchema) => JsonSchema,
  ) {}

  #instance(): AjvClass {
    if (this.#ajv === undefined) {
      const { Ajv } = require('ajv') as { Ajv: typeof AjvClass };
      const ajv = new Ajv(AJV_OPTIONS);
      const definitions = relaxDefinitions(specSchemas().definitions, this.relax);
      // The definitions are generated and checked against the meta-schema by a unit test;
      // re-checking them here would cost ~35 ms on every daemon start.
      ajv.addSchema({ $id: this.docId, definitions }, undefined, undefined, false);
      this.#ajv = ajv;
    }
    return this.#ajv;
  }

  /**
   * The validator for `key`, compiling `schema()` (already relaxed by the caller) on first use.
   * Its `#/definitions/...` references resolve into this set's relaxed definitions.
   */
  validator(key: string, schema: () => JsonSchema): ValidateFunction {
    let fn = this.#cache.get(key);
    if (fn === undefined) {
      fn = this.#instance().compile(qualifyRefs(schema(), this.docId));
      this.#cache.set(key, fn);
    }
    return fn;
  }
}
