import type { CliContext } from '../../context.js';

/** The X-Registry-Auth object from BERTH_REGISTRY_USER / BERTH_REGISTRY_PASSWORD, if set. */
function authFromEnv(ctx: CliContext, name: string): Record<string, string> | undefined {
  const username = ctx.io.env['BERTH_REGISTRY_USER'];
  const password = ctx.io.env['BERTH_REGISTRY_PASSWORD'];
  if (username === undefined || password === undefined) return undefined;
  const slash = name.indexOf('/');
  const first = slash > 0 ? name.slice(0, slash) : '';
  const domain = /[.:]/.test(first) || first === 'localhost' ? first : 'docker.io';
  return { username, password, serveraddress: domain };
}

/** Options of {@link pullImage}. */
export interface PullFlags {
  platform?: string;
  quiet?: boolean;
}

/**
 * Renders the progress stream. On a terminal, one line per layer redrawn in place (docker's
 * look: `abc123: Downloading [==>   ] 1MB/5MB`); otherwise one line per layer state change, with
 * the byte-level Downloading/Extracting updates left out.
 */
class PullDisplay {
  private readonly order: string[] = [];
  private readonly lines = new Map<string, string>();
  private drawn = 0;

  constructor(
    private readonly out: NodeJS.WritableStream & { isTTY?: boolean },
    private readonly quiet: boolean,
  ) {}

  private get tty(): boolean {
    return this.out.isTTY === true;
  }

  show(m: Record<string, unknown>): void {
    if (this.quiet) return;
    const status = typeof m['status'] === 'string' ? m['status'] : '';
    const id = typeof m['id'] === 'string' ? m['id'] : undefined;
    const bar = typeof m['progress'] === 'string' ? ` ${m['progress']}` : '';
    if (id === undefined || /^Pulling from /.test(status)) {
      this.out.write(`${id !== undefined ? `${id}: ` : ''}${status}\n`);
      return;
    }
    if (!this.tty) {
      if (status !== 'Downloading' && status !== 'Extracting') this.out.write(`${id}: ${status}\n`);
      return;
    }
    if (!this.lines.has(id)) this.order.push(id);
    this.lines.set(id, `${id}: ${status}${bar}`);
    this.redraw();
  }

  private redraw(): void {
    let s = this.drawn > 0 ? `\x1b[${this.drawn}A` : '';
    for (const id of this.order) s += `\x1b[2K${this.lines.get(id) ?? ''}\n`;
    this.drawn = this.order.length;
    this.out.write(s);
  }

  /** Final lines (Digest, Status) print below the layer block. */
  finish(): void {
    this.order.length = 0;
    this.drawn = 0;
  }
}

/**
 * Pulls `name` (`NAME[:TAG|@DIGEST]`) and prints progress; returns 0, or 1 after printing the
 * daemon's error. Shared by `berth pull` and `berth run` (which pulls a missing image).
 */
export async function pullImage(
  ctx: CliContext,
  name: string,
  flags: PullFlags = {},
): Promise<number> {
  const auth = authFromEnv(ctx, name);
  const stream = await ctx.client().imagePull(name, {
    ...(flags.platform !== undefined ? { platform: flags.platform } : {}),
    ...(auth ? { auth } : {}),
  });
  const display = new PullDisplay(ctx.io.stdout, flags.quiet === true);
  let digestRef: string | undefined;
  for await (const m of stream) {
    if (typeof m['error'] === 'string') {
      ctx.io.stderr.write(`${m['error']}\n`);
      return 1;
    }
    const status = typeof m['status'] === 'string' ? m['status'] : '';
    if (status.startsWith('Digest: ') || status.startsWith('Status: ')) {
      display.finish();
      if (flags.quiet !== true) ctx.io.stdout.write(`${status}\n`);
      const ref = /^Status: .* for (\S+)$/.exec(status);
      if (ref) digestRef = ref[1];
      continue;
    }
    display.show(m);
  }
  if (digestRef !== undefined) ctx.io.stdout.write(`${digestRef}\n`);
  return 0;
}

/** `berth pull NAME[:TAG|@DIGEST] [--platform os/arch] [-q]`. */
export function pullCommand(ctx: CliContext, name: string, flags: PullFlags): Promise<number> {
  return pullImage(ctx, name, flags);
}
