/** The PATH Docker gives a Linux container whose image and config set none. */
export const DEFAULT_PATH_ENV = 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

const keyOf = (entry: string): string => {
  const eq = entry.indexOf('=');
  return eq < 0 ? entry : entry.slice(0, eq);
};

/**
 * Overlays `overrides` on `base` by key: an entry replaces the base entry with the same key in
 * place, or is appended. An override without `=` ("KEY") unsets KEY. Later overrides win.
 */
export function mergeEnv(base: readonly string[], overrides: readonly string[]): string[] {
  const out = [...base];
  const index = new Map(out.map((e, i) => [keyOf(e), i]));
  for (const e of overrides) {
    const i = index.get(keyOf(e));
    if (i === undefined) {
      index.set(keyOf(e), out.length);
      out.push(e);
    } else {
      out[i] = e;
    }
  }
  return out.filter((e) => e.includes('='));
}

/**
 * The environment Docker gives a container process: PATH (default), HOSTNAME, TERM=xterm when a
 * tty is allocated, then `env` (image env overlaid with the container's, see `mergeEnv`)
 * replacing or extending those. So an image PATH replaces the default one in first position.
 */
export function dockerEnv(input: {
  hostname: string;
  tty: boolean;
  env: readonly string[];
}): string[] {
  const base = [DEFAULT_PATH_ENV, `HOSTNAME=${input.hostname}`];
  if (input.tty) base.push('TERM=xterm');
  return mergeEnv(base, input.env);
}
