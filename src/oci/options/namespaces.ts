import { invalidParameter } from '../../errors/index.js';
import { linuxOf, type SpecOpt } from '../spec-opt.js';
import type { IdMapping, LinuxNamespace, NamespaceType } from '../types.js';
import { requireAbsolutePath } from '../validate.js';

/** 'new' creates a namespace, 'host' shares the caller's, `{path}` joins an existing one. */
export type NamespaceMode = 'new' | 'host' | { path: string };

/** Per-namespace choices; an omitted field takes Docker's default. The mount ns is always new. */
export interface NamespacesInput {
  /** Default 'new'. A netns prepared for CNI is passed as `{path: '/run/netns/…'}`. */
  network?: NamespaceMode;
  /** Default 'new'. */
  pid?: NamespaceMode;
  /** Default 'new'. */
  ipc?: NamespaceMode;
  /** Default 'new'. */
  uts?: NamespaceMode;
  /** Default 'host': Docker creates no cgroup namespace on cgroup v1 hosts. */
  cgroup?: NamespaceMode;
}

const ORDER: readonly (keyof NamespacesInput)[] = ['network', 'uts', 'pid', 'ipc', 'cgroup'];

/**
 * Replaces `linux.namespaces`. With every field omitted the result is Docker's: mount, network,
 * uts, pid, ipc, each new.
 */
export function withNamespaces(input: NamespacesInput = {}): SpecOpt {
  const list: LinuxNamespace[] = [{ type: 'mount' }];
  for (const key of ORDER) {
    const mode = input[key] ?? (key === 'cgroup' ? 'host' : 'new');
    const ns = namespaceEntry(key, mode);
    if (ns !== undefined) list.push(ns);
  }
  return (spec) => {
    linuxOf(spec).namespaces = list.map((n) => ({ ...n }));
  };
}

function namespaceEntry(type: NamespaceType, mode: NamespaceMode): LinuxNamespace | undefined {
  if (mode === 'host') return undefined;
  if (mode === 'new') return { type };
  if (typeof mode !== 'object' || typeof mode.path !== 'string') {
    throw invalidParameter(`invalid ${type} namespace mode`);
  }
  requireAbsolutePath(`${type} namespace path`, mode.path);
  return { type, path: mode.path };
}

/**
 * Adds a new user namespace with these id mappings (`--userns-remap`): container root becomes
 * the first mapping's host id. runc creates it first, so the other new namespaces belong to it
 * (which is what lets the container mount its own sysfs, proc and mqueue).
 */
export function withUserNamespace(uidMappings: IdMapping[], gidMappings: IdMapping[]): SpecOpt {
  if (uidMappings.length === 0 || gidMappings.length === 0) {
    throw invalidParameter('a user namespace needs uid and gid mappings');
  }
  return (spec) => {
    const linux = linuxOf(spec);
    const list = (linux.namespaces ?? []).filter((n) => n.type !== 'user');
    linux.namespaces = [...list, { type: 'user' }];
    linux.uidMappings = uidMappings.map((m) => ({ ...m }));
    linux.gidMappings = gidMappings.map((m) => ({ ...m }));
  };
}
