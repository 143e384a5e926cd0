import { systemError } from '../../errors/index.js';
import { execFile } from '../../lib/exec.js';

/** Tables Berth writes to. */
export type Table = 'filter' | 'nat';

/** A batch for iptables-restore: lines per table (`-N`, `-A`, `-D`, `-F`, `-X`, `:CHAIN - [0:0]`). */
export type Batch = Partial<Record<Table, string[]>>;

/**
 * Applies a batch with one `iptables-restore --noflush` (one process for any number of rules,
 * atomic per table with the nf_tables backend) instead of one `iptables` spawn per rule. Empty
 * batches cost nothing. Throws a System error carrying iptables' message and the batch.
 */
export async function applyBatch(batch: Batch): Promise<void> {
  let text = '';
  for (const [table, lines] of Object.entries(batch)) {
    if (lines === undefined || lines.length === 0) continue;
    text += `*${table}\n${lines.join('\n')}\nCOMMIT\n`;
  }
  if (text === '') return;
  const r = await execFile('iptables-restore', ['--noflush', '--wait'], {
    timeoutMs: 15_000,
    input: text,
  });
  if (r.code !== 0) throw systemError(`iptables-restore failed: ${r.stderr.trim()}\n${text}`);
}

/** The current rules of one table as `iptables-save` prints them (`-A …` lines and `:CHAIN` heads). */
export async function saveTable(table: Table): Promise<string[]> {
  const r = await execFile('iptables-save', ['-t', table], { timeoutMs: 15_000 });
  if (r.code !== 0) throw systemError(`iptables-save -t ${table} failed: ${r.stderr.trim()}`);
  return r.stdout.split('\n');
}

/** Chain names declared in an iptables-save listing. */
export function chainsIn(lines: string[]): Set<string> {
  const out = new Set<string>();
  for (const l of lines) if (l.startsWith(':')) out.add(l.slice(1).split(' ')[0] ?? '');
  return out;
}

/**
 * The `-A` lines of a listing whose comment is exactly `tag` (iptables-save of the nf_tables
 * backend prints comments in double quotes; the legacy one without when there are no spaces).
 */
export function rulesTagged(lines: string[], tag: string): string[] {
  const needles = [`--comment ${tag} `, `--comment "${tag}" `];
  return lines.filter((l) => l.startsWith('-A ') && needles.some((n) => `${l} `.includes(n)));
}

/** Turns saved `-A CHAIN spec` lines into the `-D CHAIN spec` lines that delete them. */
export function deletionsOf(rules: string[]): string[] {
  return rules.map((l) => `-D ${l.slice(3)}`);
}
