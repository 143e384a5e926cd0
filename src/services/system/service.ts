import { cpus, hostname, release, totalmem } from 'node:os';
import { readFile } from 'node:fs/promises';
import type { ContainersService } from '../containers/service.js';
import type { ImagesService } from '../images/service.js';
import type { EventBus } from '../../events/event-bus.js';
import {
  openEventFeed,
  type EventFeedOptions,
  type EventFeedSink,
} from '../../events/event-feed.js';
import { checkEventFilters } from '../../events/filters.js';
import { diskUsage, type DiskUsage, type DiskUsageDeps, type DiskUsageType } from './df.js';

/** Facts about the engine that GET /version and GET /info report. */
export interface EngineFacts {
  version: string;
  gitCommit: string;
  dataRoot: string;
  execRoot: string;
  runtime: { name: string; path: string };
  cgroupVersion: '1' | '2';
  cgroupParent: string;
  /** Optional parts that are not available, with why. */
  warnings: string[];
  /** Extra `SecurityOptions` entries of GET /info (`name=userns` on a remapped daemon). */
  securityOptions?: string[];
}

/** What GET /info needs beyond the facts: counts and host data. */
export interface SystemInfo {
  id: string;
  containers: { total: number; running: number; paused: number; stopped: number };
  images: number;
  ncpu: number;
  memTotal: number;
  kernelVersion: string;
  operatingSystem: string;
  name: string;
  systemTime: string;
  /** Open GET /events streams (dockerd's NEventsListener). */
  eventListeners: number;
  facts: EngineFacts;
}

let osName: Promise<string> | undefined;
function operatingSystem(): Promise<string> {
  osName ??= readFile('/etc/os-release', 'utf8')
    .then((t) => /^PRETTY_NAME="?([^"\n]*)"?$/m.exec(t)?.[1] ?? 'Linux')
    .catch(() => 'Linux');
  return osName;
}

/** The system service: version and info. */
export class SystemService {
  constructor(
    private readonly deps: {
      containers: ContainersService;
      images: ImagesService;
      events: EventBus;
      facts: EngineFacts;
      engineId: string;
      /** For GET /system/df (see df.ts); optional so the daemon can wire them as they land. */
      layerSize?: DiskUsageDeps['layerSize'];
      volumes?: DiskUsageDeps['volumes'];
      buildCache?: DiskUsageDeps['buildCache'];
    },
  ) {}

  /** GET /system/df for the asked types (see df.ts). */
  df(types: Set<DiskUsageType>): Promise<DiskUsage> {
    const { containers, images, layerSize, volumes, buildCache } = this.deps;
    return diskUsage(
      {
        containers,
        images,
        ...(layerSize ? { layerSize } : {}),
        ...(volumes ? { volumes } : {}),
        ...(buildCache ? { buildCache } : {}),
      },
      types,
    );
  }

  get facts(): EngineFacts {
    return this.deps.facts;
  }

  /**
   * GET /events: validates the filters (InvalidParameter), then replays and follows events into
   * `sink` (see openEventFeed). Returns the function that closes the feed.
   */
  events(opts: EventFeedOptions, sink: EventFeedSink): () => void {
    checkEventFilters(opts.filters);
    return openEventFeed(this.deps.events, opts, sink);
  }

  async info(): Promise<SystemInfo> {
    return {
      id: this.deps.engineId,
      containers: this.deps.containers.counts(),
      images: (await this.deps.images.list()).length,
      ncpu: cpus().length,
      memTotal: totalmem(),
      kernelVersion: release(),
      operatingSystem: await operatingSystem(),
      name: hostname(),
      systemTime: new Date().toISOString(),
      eventListeners: this.deps.events.listenerCount(),
      facts: this.deps.facts,
    };
  }
}
