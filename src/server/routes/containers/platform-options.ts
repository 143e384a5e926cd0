import type { ContainerCreateBody } from '../../../api/index.js';
import { invalidParameter } from '../../../errors/index.js';

/**
 * Create options Berth has no way to honour on Linux, refused with Docker's own messages where
 * Docker refuses them too, so that nothing a user asked for is silently dropped:
 *
 * - `Isolation` other than `default`: Linux has one isolation technology.
 * - `StorageOpt` (`--storage-opt size=…`): Docker allows it only for overlay on xfs with project
 *   quotas; Berth's overlay snapshots have no per-container quota.
 * - `IOMaximumBandwidth`/`IOMaximumIOps`: Windows only.
 * - `VolumeDriver` other than `local`: no volume plugins.
 * - `CpuRealtimePeriod`/`CpuRealtimeRuntime`: need a real-time budget delegated down the cgroup
 *   tree (dockerd's `--cpu-rt-runtime`), which Berth does not manage.
 * - `Cgroup` (joining another container's cgroup): not built.
 *
 * `CpuCount` and `CpuPercent` are Windows options that Docker on Linux ignores (the latter with a
 * warning); Berth ignores them the same way. `Config.NetworkDisabled` is honoured by the caller
 * (no network at all, as `--network none`).
 */
export function checkPlatformOptions(body: ContainerCreateBody): void {
  const hc = (body.HostConfig ?? {}) as Record<string, unknown>;
  const isolation = hc['Isolation'];
  if (
    isolation !== undefined &&
    isolation !== null &&
    isolation !== '' &&
    isolation !== 'default'
  ) {
    throw invalidParameter(`invalid isolation '${String(isolation)}' on linux`);
  }
  const storage = hc['StorageOpt'];
  if (storage && typeof storage === 'object' && Object.keys(storage).length > 0) {
    throw invalidParameter(
      "--storage-opt is supported only for overlay over xfs with 'pquota' mount option",
    );
  }
  if (nonZero(hc['IOMaximumBandwidth']) || nonZero(hc['IOMaximumIOps'])) {
    throw invalidParameter(
      'Invalid QoS settings: linux does not support Maximum IO Bandwidth or Maximum IO IOps',
    );
  }
  const driver = hc['VolumeDriver'];
  if (typeof driver === 'string' && driver !== '' && driver !== 'local') {
    throw invalidParameter(
      `error looking up volume plugin ${driver}: plugin "${driver}" not found`,
    );
  }
  for (const field of ['CpuRealtimePeriod', 'CpuRealtimeRuntime']) {
    if (nonZero(hc[field])) {
      throw invalidParameter(`HostConfig.${field} is not supported by this engine`);
    }
  }
  const cgroup = hc['Cgroup'];
  if (typeof cgroup === 'string' && cgroup !== '') {
    throw invalidParameter('HostConfig.Cgroup is not supported by this engine');
  }
}

const nonZero = (v: unknown): boolean => v !== undefined && v !== null && v !== 0;

/**
 * `HostConfig.Annotations`: string keys and values handed to the runtime in the OCI spec;
 * undefined when none are given.
 */
export function annotationsOf(body: ContainerCreateBody): Record<string, string> | undefined {
  const raw = (body.HostConfig as Record<string, unknown> | undefined)?.['Annotations'];
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    throw invalidParameter('invalid HostConfig.Annotations');
  }
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
    if (k === '' || typeof v !== 'string') {
      throw invalidParameter('invalid HostConfig.Annotations: keys and values must be strings');
    }
    out[k] = v;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}
