/** One line of Docker's progress JSON stream (`POST /images/create`, push, load). */
export interface ProgressMessage {
  status?: string;
  id?: string;
  progressDetail?: { current?: number; total?: number };
  progress?: string;
  errorDetail?: { message: string };
  error?: string;
}

/** Receives progress messages; never throws. */
export type ProgressSink = (m: ProgressMessage) => void;

/** Docker's short layer id: the first 12 hex digits of the digest. */
export function shortLayerId(digest: string): string {
  return digest.replace(/^sha256:/, '').slice(0, 12);
}

/** Human units as the docker CLI prints them (`1.5MB`, base 1000). */
export function humanSize(n: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let v = n;
  let i = 0;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return `${i === 0 ? v : v.toFixed(v < 10 ? 3 : v < 100 ? 2 : 1).replace(/\.?0+$/, '')}${units[i]}`;
}

/** The `progress` text Docker sends beside progressDetail: `[=====>      ]  1.2MB/3.4MB`. */
export function progressBar(current: number, total: number, width = 50): string {
  if (total <= 0) return `${humanSize(current)}`;
  const filled = Math.min(width, Math.floor((current / total) * width));
  const bar =
    filled >= width ? '='.repeat(width) : '='.repeat(filled) + '>' + ' '.repeat(width - filled - 1);
  return `[${bar}] ${humanSize(current).padStart(8)}/${humanSize(total)}`;
}
