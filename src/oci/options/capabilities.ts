import { DEFAULT_CAPABILITIES, normalizeCapability } from '../capabilities.js';
import { processOf, type SpecOpt } from '../spec-opt.js';

/**
 * Gives the process exactly `caps` in the bounding, effective and permitted sets, with no
 * inheritable or ambient capabilities (Docker's layout for a non-root-less container).
 * Names are normalized to `CAP_*`; unknown names throw InvalidParameter.
 */
export function withCapabilities(caps: readonly string[]): SpecOpt {
  const list = [...new Set(caps.map(normalizeCapability))];
  return (spec) => {
    processOf(spec).capabilities = {
      bounding: [...list],
      effective: [...list],
      permitted: [...list],
    };
  };
}

/** Docker's 14 default capabilities (CapEff 00000000a80425fb). */
export function withDefaultCapabilities(): SpecOpt {
  return withCapabilities(DEFAULT_CAPABILITIES);
}
