/**
 * Column alignment like Go's text/tabwriter as Docker's CLI configures it for tables: each column
 * but the last is padded to its widest cell plus `padding`, and to at least `minWidth`.
 */

/** Options for {@link formatTable}. Docker uses minWidth 10, padding 3. */
export interface TableOptions {
  minWidth?: number;
  padding?: number;
}

/** Display width in code points (what tabwriter counts). */
export function displayWidth(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

/** Renders rows (the first usually the header) as aligned lines, each ending in a newline. */
export function formatTable(rows: readonly (readonly string[])[], opts: TableOptions = {}): string {
  const minWidth = opts.minWidth ?? 10;
  const padding = opts.padding ?? 3;
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, i) => {
      widths[i] = Math.max(widths[i] ?? 0, displayWidth(cell));
    });
  }
  return rows
    .map((row) =>
      row
        .map((cell, i) => {
          if (i === row.length - 1) return cell;
          const width = Math.max(minWidth, (widths[i] ?? 0) + padding);
          return cell + ' '.repeat(width - displayWidth(cell));
        })
        .join(''),
    )
    .map((line) => `${line}\n`)
    .join('');
}

/** One line of a key/value listing: a `[key, value]` pair, or a plain line that ends a block. */
export type KeyValueLine = readonly [string, string] | string;

/**
 * Aligns `key: value` listings the way `docker version` does (tabwriter, minWidth 20, padding
 * 1): values line up within each run of consecutive pairs; a plain line breaks the run.
 */
export function formatKeyValues(
  lines: readonly KeyValueLine[],
  minWidth = 20,
  padding = 1,
): string {
  const out: string[] = [];
  let block: (readonly [string, string])[] = [];
  const flush = (): void => {
    const width = Math.max(minWidth, ...block.map(([k]) => displayWidth(k) + padding));
    for (const [k, v] of block) out.push(k + ' '.repeat(width - displayWidth(k)) + v);
    block = [];
  };
  for (const line of lines) {
    if (typeof line === 'string') {
      flush();
      out.push(line);
    } else block.push(line);
  }
  flush();
  return out.map((l) => `${l}\n`).join('');
}
