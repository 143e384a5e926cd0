// generated from swagger.yaml v1.56 by scripts/gen-api.ts — do not edit

/** The Engine API version of the pinned spec this build's wire types come from. */
export const SPEC_API_VERSION = '1.56';
