/**
 * Pure parsers for the text formats cgroupfs and procfs use. Numbers are parsed with Number():
 * counters above 2^53 lose precision, which no stat Docker users read is sensitive to.
 */

/** `key value` lines (memory.stat, cpu.stat, cpuacct.stat) into a map; junk lines are skipped. */
export function parseFlatKeyed(text: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const line of text.split('\n')) {
    const [k, v, extra] = line.trim().split(/\s+/);
    if (!k || v === undefined || extra !== undefined || !/^\d+$/.test(v)) continue;
    out[k] = Number(v);
  }
  return out;
}

/** A single number file (`memory.current`); `max` (cgroup v2's unlimited) gives undefined. */
export function parseSingle(text: string): number | undefined {
  const t = text.trim();
  if (!/^\d+$/.test(t)) return undefined;
  return Number(t);
}

/** Space-separated numbers (cpuacct.usage_percpu). */
export function parseNumberList(text: string): number[] {
  return text
    .trim()
    .split(/\s+/)
    .filter((s) => /^\d+$/.test(s))
    .map(Number);
}

/** `major:minor` into numbers, or undefined for anything else. */
export function parseDevice(dev: string): { major: number; minor: number } | undefined {
  const m = /^(\d+):(\d+)$/.exec(dev);
  if (!m) return undefined;
  return { major: Number(m[1]), minor: Number(m[2]) };
}
