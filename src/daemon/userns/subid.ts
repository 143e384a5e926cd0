/** One subordinate id range of /etc/subuid or /etc/subgid: `start` … `start + count - 1`. */
export interface SubIdRange {
  start: number;
  count: number;
}

/**
 * Parses /etc/subuid or /etc/subgid (`name-or-id:start:count` lines; comments and malformed
 * lines are skipped). A user may have several ranges; they are kept in file order.
 */
export function parseSubIdFile(text: string): Map<string, SubIdRange[]> {
  const out = new Map<string, SubIdRange[]>();
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const m = /^([^:\s]+):(\d+):(\d+)$/.exec(line);
    if (m === null) continue;
    const start = Number(m[2]);
    const count = Number(m[3]);
    if (count === 0 || !Number.isSafeInteger(start + count) || start + count > 2 ** 32) continue;
    const name = m[1] ?? '';
    out.set(name, [...(out.get(name) ?? []), { start, count }]);
  }
  return out;
}

/** The ranges of a user, looked up by name and by numeric id (both forms are valid keys). */
export function rangesOf(
  file: Map<string, SubIdRange[]>,
  name: string,
  id: number | undefined,
): SubIdRange[] {
  return [...(file.get(name) ?? []), ...(id === undefined ? [] : (file.get(String(id)) ?? []))];
}

/**
 * The lowest start ≥ `floor` where `size` ids fit without overlapping any range in `file` (as
 * useradd picks: 100000 by default, in steps past each taken range).
 */
export function freeRange(file: Map<string, SubIdRange[]>, size = 65536, floor = 100000): number {
  const taken = [...file.values()].flat().sort((a, b) => a.start - b.start);
  let start = floor;
  for (const r of taken) {
    if (r.start + r.count <= start) continue;
    if (r.start >= start + size) break;
    start = r.start + r.count;
  }
  return start;
}

/** Container id → host id mappings for the ranges, concatenated in order (as Docker does). */
export function mappingsOf(
  ranges: readonly SubIdRange[],
): { containerID: number; hostID: number; size: number }[] {
  let next = 0;
  return ranges.map((r) => {
    const m = { containerID: next, hostID: r.start, size: r.count };
    next += r.count;
    return m;
  });
}
