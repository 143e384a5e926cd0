import { existsSync } from 'node:fs';
import { mkdir, readFile, rmdir, readdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import { atomicWrite } from '../lib/atomic-write.js';
import type { Digest } from '../lib/digest.js';
import { openMetadataDb } from '../store/metadata/database.js';
import { ContainersRepository } from '../store/metadata/containers-repository.js';
import { ImagesRepository } from '../store/metadata/images-repository.js';
import { MetaRepository } from '../store/metadata/meta-repository.js';
import { ContentStore } from '../store/content/content-store.js';
import { OverlaySnapshotter } from '../drivers/snapshot/overlay.js';
import { RuncRuntime } from '../drivers/runtime/runc.js';
import { ExitWatcher } from '../drivers/runtime/exit-watcher.js';
import { EventBus } from '../events/event-bus.js';
import { ExitMonitor } from '../monitor/exit-monitor.js';
import { readHostLimits } from '../oci/read-host-limits.js';
import { ContainersService } from '../services/containers/service.js';
import type { ContainerConfig } from '../services/containers/types.js';
import { ImagesService } from '../services/images/service.js';
import { removeOrphanLayers } from '../services/images/orphan-layers.js';
import { LeaseSet } from '../distribution/leases.js';
import { SystemService } from '../services/system/service.js';
import { closeApiServer, createApiServer } from '../server/server.js';
import { checkSocketGroup, listenUnix } from '../server/listen.js';
import { serveTcp } from './serve-tcp.js';
import { remappedStorage } from './userns/storage.js';
import { systemRoutes } from '../server/routes/system/routes.js';
import { containerRoutes } from '../server/routes/containers/routes.js';
import { imageRoutes } from '../server/routes/images/routes.js';
import { execRoutes } from '../server/routes/exec/routes.js';
import { buildRoutes } from '../server/routes/build/routes.js';
import { BuildService } from '../services/build/service.js';
import { buildImages } from '../services/build/image-adapter.js';
import { buildContainers } from '../services/build/container-runner.js';
import { BuildCacheRepository } from '../store/metadata/build-cache-repository.js';
import { volumeRoutes } from '../server/routes/volumes/routes.js';
import { VolumesService } from '../services/volumes/service.js';
import { VolumesRepository } from '../store/metadata/volumes-repository.js';
import { LocalVolumeDriver } from '../drivers/volume/local.js';
import { networkRoutes } from '../server/routes/networks/routes.js';
import { buildNetworks } from './networks-wiring.js';
import { bootstrapBusybox } from './bootstrap.js';
import type { DaemonConfig } from './config.js';
import { cgroupVersion, kernelVersion } from './host-facts.js';
import { enginePaths } from './paths.js';
import { engineVersion } from './version.js';

/** A running daemon. */
export interface Daemon {
  /** Stops serving. Containers keep running: conmon owns them. */
  close(): Promise<void>;
}

async function engineId(path: string): Promise<string> {
  const existing = await readFile(path, 'utf8').catch(() => '');
  if (existing.trim() !== '') return existing.trim();
  const id = randomUUID();
  await atomicWrite(path, `${id}\n`);
  return id;
}

/**
 * The composition root: drivers → stores → services → server. Order matters at boot: the exit
 * watcher runs before reconcile so no exit is missed, and the API listens last.
 */
export async function startDaemon(cfg: DaemonConfig): Promise<Daemon> {
  await checkSocketGroup(cfg.socketGroup);
  const { dataRoot, remap } = await remappedStorage(cfg.dataRoot, cfg.usernsRemap, cfg.log);
  const paths = enginePaths({ dataRoot, execRoot: cfg.execRoot });
  await mkdir(cfg.dataRoot, { recursive: true, mode: 0o711 });
  await Promise.all(
    [paths.containers, paths.bundles, paths.exits, paths.runcRoot].map((d) =>
      mkdir(d, { recursive: true, mode: 0o711 }),
    ),
  );
  const db = openMetadataDb(paths.db);
  const meta = new MetaRepository(db);
  const content = await ContentStore.open(paths.content);
  const snapshotter = await OverlaySnapshotter.open(
    paths.overlay,
    remap ? { idShift: { uids: remap.uidMappings, gids: remap.gidMappings } } : {},
  );
  const runtime = new RuncRuntime({
    root: paths.runcRoot,
    runtimePath: cfg.runtimePath,
    conmonPath: cfg.conmonPath,
  });
  const exits = new ExitWatcher(paths.exits);
  const events = new EventBus();
  const images = new ImagesService({
    repo: new ImagesRepository(db),
    content,
    snapshotter,
    events,
    leases: new LeaseSet(),
    insecureRegistries: cfg.insecureRegistries,
  });
  const networks = await buildNetworks(cfg, db, events);
  await networks.boot();
  const volumeDriver = new LocalVolumeDriver(
    join(dataRoot, 'volumes'),
    remap ? { uid: remap.rootUid, gid: remap.rootGid } : undefined,
  );
  const volumes = new VolumesService({
    repo: new VolumesRepository(db),
    drivers: new Map([[volumeDriver.name, volumeDriver]]),
    events,
    log: cfg.log,
  });
  const containers = new ContainersService({
    volumes,
    networking: networks,
    repo: new ContainersRepository<ContainerConfig>(db),
    images,
    snapshotter,
    runtime,
    events,
    paths: {
      containerDir: (id) => join(paths.containers, id),
      bundleDir: (id) => join(paths.bundles, id),
      exitDir: paths.exits,
    },
    host: { limits: readHostLimits(), kernel: kernelVersion() },
    cgroupParent: cfg.cgroupParent,
    initPath: existsSync(cfg.initPath) ? cfg.initPath : undefined,
    ...(remap ? { userns: remap } : {}),
    log: cfg.log,
  });
  networks.setContainers(containers.networkAccess());
  const monitor = new ExitMonitor(exits, containers, cfg.log);
  await monitor.start();
  await networks.sweep();
  const orphans = await removeOrphanLayers({
    repo: new ImagesRepository(db),
    content,
    snapshotter,
    events,
  });
  if (orphans.length > 0) cfg.log(`removed ${orphans.length} layer(s) left by an interrupted pull`);
  if (cfg.bootstrapBusybox)
    await bootstrapBusybox({ meta, content, images, log: cfg.log }, cfg.busyboxPath);

  const system = new SystemService({
    containers,
    images,
    events,
    layerSize: (chainId) => snapshotter.layerSize(chainId as Digest),
    volumes,
    buildCache: (inUse) => build.cacheUsage(inUse), // `build` is wired below; df runs later
    engineId: await engineId(paths.engineId),
    facts: {
      version: engineVersion,
      gitCommit: process.env['BERTH_GIT_COMMIT'] ?? 'unknown',
      dataRoot,
      ...(remap ? { securityOptions: ['name=userns'] } : {}),
      execRoot: cfg.execRoot,
      runtime: { name: 'runc', path: cfg.runtimePath },
      cgroupVersion: cgroupVersion(),
      cgroupParent: cfg.cgroupParent,
      warnings: [],
    },
  });
  const buildCache = new BuildCacheRepository(db);
  const build = new BuildService({
    images: buildImages(images, content),
    containers: buildContainers(containers, snapshotter),
    snapshotter,
    cache: buildCache,
    tmpDir: join(dataRoot, 'tmp'),
    log: cfg.log,
  });
  const routes = [...systemRoutes(system), ...containerRoutes(containers), ...imageRoutes(images)];
  routes.push(...execRoutes(containers));
  routes.push(...buildRoutes(build));
  routes.push(...volumeRoutes(volumes));
  routes.push(...networkRoutes(networks));
  // TCP first: a client that reached the unix socket may rely on every listener being up.
  const tcp = await serveTcp(cfg.tcpHosts ?? [], cfg.tcpSecurity, routes, cfg.log);
  const servers: Server[] = [];
  try {
    for (const host of cfg.hosts) {
      const server = createApiServer(routes, cfg.log);
      await listenUnix(server, host, cfg.socketGroup);
      servers.push(server);
    }
  } catch (e) {
    await Promise.all(tcp.map((l) => l.close()));
    throw e;
  }
  const served = [...cfg.hosts, ...tcp.map((l) => l.address)];
  cfg.log(`berthd ${engineVersion} serving on ${served.join(', ')} (data root ${cfg.dataRoot})`);

  return {
    async close() {
      await Promise.all(servers.map((s) => closeApiServer(s)));
      await Promise.all(tcp.map((l) => l.close()));
      await Promise.all(cfg.hosts.map((h) => unlink(h).catch(() => undefined)));
      await containers.drain();
      await networks.close();
      monitor.close();
      db.close();
      await removeEmptyCgroupParents(cfg.cgroupParent);
    },
  };
}

/** runc removes each container's cgroup but not the parent; drop it when nothing is left in it. */
async function removeEmptyCgroupParents(parent: string): Promise<void> {
  const roots = await readdir('/sys/fs/cgroup').catch(() => [] as string[]);
  const dirs = [
    ...roots.map((r) => join('/sys/fs/cgroup', r, parent)),
    join('/sys/fs/cgroup', parent),
  ];
  await Promise.all(dirs.map((d) => rmdir(d).catch(() => undefined)));
}
