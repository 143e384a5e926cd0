import type { ImagesRepository } from '../../store/metadata/images-repository.js';
import type { ContentStore } from '../../store/content/content-store.js';
import type { Snapshotter } from '../../drivers/snapshot/snapshotter.js';
import type { EventBus } from '../../events/event-bus.js';

/** Everything the images service is built from. */
export interface ImageDeps {
  repo: ImagesRepository;
  content: ContentStore;
  snapshotter: Snapshotter;
  events: EventBus;
}
