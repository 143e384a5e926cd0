/** One line of Docker's JSON progress stream. */
export type ProgressMessage =
  | { stream: string }
  | {
      status: string;
      id?: string;
      progressDetail?: { current?: number; total?: number };
      progress?: string;
    };

/** Docker's decimal size with three significant digits: `2.15MB`, `512B`. */
export function decimalSize(n: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB', 'PB'];
  let i = 0;
  let v = n;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return `${Number(v.toPrecision(3))}${units[i]}`;
}

/** A `Loading layer` progress message as dockerd sends it (bar of 50, current/total sizes). */
export function loadingLayer(id: string, current: number, total: number): ProgressMessage {
  const width = 50;
  const filled = total > 0 ? Math.min(width, Math.floor((current / total) * width)) : width;
  const bar = `${'='.repeat(filled)}>${' '.repeat(width - filled)}`;
  return {
    status: 'Loading layer',
    progressDetail: { current, total },
    progress: `[${bar}]  ${decimalSize(current)}/${decimalSize(total)}`,
    id,
  };
}
