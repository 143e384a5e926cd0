import { digestOf, isDigest, type Digest } from '../../lib/digest.js';
import { invalidParameter } from '../../errors/index.js';

/**
 * The chain ids of a layer stack (bottom first), as the OCI image spec defines them:
 * chainID(L0) = diffID(L0); chainID(Ln) = sha256(chainID(Ln-1) + " " + diffID(Ln)).
 * A chain id names a layer together with everything below it, so it keys committed snapshots.
 */
export function chainIds(diffIds: readonly Digest[]): Digest[] {
  const out: Digest[] = [];
  for (const diffId of diffIds) {
    if (!isDigest(diffId))
      throw invalidParameter(`invalid diff id "${String(diffId).slice(0, 80)}"`);
    const prev = out.at(-1);
    out.push(prev === undefined ? diffId : digestOf(`${prev} ${diffId}`));
  }
  return out;
}

/** The chain id of the whole stack (its top layer), or null for an empty stack. */
export function chainId(diffIds: readonly Digest[]): Digest | null {
  return chainIds(diffIds).at(-1) ?? null;
}
