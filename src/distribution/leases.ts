/** What a lease protects from deletion. */
export interface LeaseResources {
  /** Content-store blob digests. */
  blobs?: Iterable<string>;
  /** Snapshot layer chain ids. */
  layers?: Iterable<string>;
}

/** A held lease: add more resources while working, release when done (idempotent). */
export interface Lease {
  add(r: LeaseResources): void;
  release(): void;
}

/**
 * In-memory leases, as containerd's: an in-flight pull (or build) holds one over the blobs and
 * layer snapshots it is writing, so that anything that deletes (rmi, prune, garbage collection)
 * leaves them alone. Anything that deletes a blob or a layer must ask {@link isLeased}.
 * Leases die with the daemon; what a killed pull left unreferenced is an orphan that boot cleanup
 * may remove, since no pull is in flight then.
 */
export class LeaseSet {
  private readonly held = new Map<number, { blobs: Set<string>; layers: Set<string> }>();
  private next = 1;

  /** Takes a lease over `r`. */
  acquire(r: LeaseResources = {}): Lease {
    const id = this.next++;
    const entry = { blobs: new Set(r.blobs ?? []), layers: new Set(r.layers ?? []) };
    this.held.set(id, entry);
    return {
      add: (more) => {
        for (const b of more.blobs ?? []) entry.blobs.add(b);
        for (const l of more.layers ?? []) entry.layers.add(l);
      },
      release: () => void this.held.delete(id),
    };
  }

  /** True when a live lease holds blob digest `d` (kind `blob`) or layer chain id `d` (`layer`). */
  isLeased(kind: 'blob' | 'layer', d: string): boolean {
    for (const e of this.held.values())
      if ((kind === 'blob' ? e.blobs : e.layers).has(d)) return true;
    return false;
  }

  /** Number of live leases (for tests and `info`). */
  get size(): number {
    return this.held.size;
  }
}
