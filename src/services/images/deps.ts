import type { ImagesRepository } from '../../store/metadata/images-repository.js';
import type { ContentStore } from '../../store/content/content-store.js';
import type { Snapshotter } from '../../drivers/snapshot/snapshotter.js';
import type { EventBus } from '../../events/event-bus.js';
import type { LeaseSet } from '../../distribution/leases.js';

/** Everything the images service is built from. */
export interface ImageDeps {
  repo: ImagesRepository;
  content: ContentStore;
  snapshotter: Snapshotter;
  events: EventBus;
  /** Leases of in-flight pulls: whatever deletes blobs or layers must skip leased ones. */
  leases?: LeaseSet;
  /** `--insecure-registry` entries (plain HTTP); loopback registries always are. */
  insecureRegistries?: readonly string[];
}
