import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { execFile } from '../../src/lib/exec.js';
import { startTokenServer, type TokenServer } from './registry-token.js';

/** Options of {@link startRegistry}. */
export interface RegistryOptions {
  /**
   * `basic`: htpasswd auth (user/password below); `token`: bearer token auth through a small
   * token server on 127.0.0.1 that hands out tokens for the same credentials. Default: none.
   */
  auth?: 'basic' | 'token';
  /** Credentials accepted when `auth` is set (default `tester` / `s3cret-pass`). */
  username?: string;
  password?: string;
}

/** A running Debian `docker-registry` (distribution 2.8) on 127.0.0.1, all its own. */
export interface TestRegistry {
  /** `127.0.0.1:PORT`: the registry part of image references. */
  host: string;
  /** `http://127.0.0.1:PORT`. */
  url: string;
  /** Its storage, config and htpasswd live here. */
  dir: string;
  /** The credentials it accepts (when auth is on). */
  username: string;
  password: string;
  /** The token server's URL (auth `token` only). */
  tokenRealm?: string;
  /** Everything the registry logged so far. */
  output(): string;
  /** Stops the registry (and token server) by pid and deletes its directory. Idempotent. */
  stop(): Promise<void>;
}

/** A TCP port that was free a moment ago (the registry binds it right after). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr !== null ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** A bcrypt htpasswd line from apache2-utils' htpasswd (the registry accepts bcrypt only). */
async function htpasswdLine(user: string, password: string): Promise<string> {
  const r = await execFile('htpasswd', ['-Bbn', user, password], { timeoutMs: 20_000 });
  if (r.code !== 0) throw new Error(`htpasswd failed: ${r.stderr}`);
  return r.stdout.trim() + '\n';
}

/**
 * Starts Debian's docker-registry on a free 127.0.0.1 port with its own storage directory under
 * /tmp/berth-test-reg-<random>/. Call `stop()` in an `after` hook: the process is killed by pid.
 */
export async function startRegistry(opts: RegistryOptions = {}): Promise<TestRegistry> {
  const dir = `/tmp/berth-test-reg-${randomBytes(4).toString('hex')}`;
  const username = opts.username ?? 'tester';
  const password = opts.password ?? 's3cret-pass';
  await mkdir(join(dir, 'storage'), { recursive: true });
  let token: TokenServer | undefined;
  let proc: ChildProcess | undefined;
  let log = '';
  const stop = async (): Promise<void> => {
    if (proc && proc.exitCode === null && proc.signalCode === null) {
      const exited = new Promise((r) => proc?.once('exit', r));
      proc.kill('SIGTERM');
      const timer = setTimeout(() => proc?.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    }
    await token?.stop();
    await rm(dir, { recursive: true, force: true });
  };
  try {
    const port = await freePort();
    let authYaml = '';
    if (opts.auth === 'basic') {
      await writeFile(join(dir, 'htpasswd'), await htpasswdLine(username, password));
      authYaml = `auth:\n  htpasswd:\n    realm: berth-test\n    path: ${dir}/htpasswd\n`;
    } else if (opts.auth === 'token') {
      token = await startTokenServer({ dir, service: 'berth-test-registry', username, password });
      authYaml =
        `auth:\n  token:\n    realm: ${token.realm}\n    service: berth-test-registry\n` +
        `    issuer: ${token.issuer}\n    rootcertbundle: ${token.certPath}\n`;
    }
    const config =
      `version: 0.1\nlog:\n  level: warn\n  accesslog:\n    disabled: true\n` +
      `storage:\n  filesystem:\n    rootdirectory: ${dir}/storage\n  delete:\n    enabled: true\n` +
      `http:\n  addr: 127.0.0.1:${port}\n` +
      authYaml;
    await writeFile(join(dir, 'config.yml'), config);
    proc = spawn('/usr/bin/docker-registry', ['serve', join(dir, 'config.yml')], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    proc.stdout?.on('data', (b: Buffer) => (log += b.toString()));
    proc.stderr?.on('data', (b: Buffer) => (log += b.toString()));
    const url = `http://127.0.0.1:${port}`;
    await waitForRegistry(url, proc, () => log);
    return {
      host: `127.0.0.1:${port}`,
      url,
      dir,
      username,
      password,
      ...(token ? { tokenRealm: token.realm } : {}),
      output: () => log,
      stop,
    };
  } catch (e) {
    await stop();
    throw e;
  }
}

async function waitForRegistry(url: string, proc: ChildProcess, out: () => string): Promise<void> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`docker-registry exited:\n${out()}`);
    try {
      const res = await fetch(`${url}/v2/`, { signal: AbortSignal.timeout(2_000) });
      await res.arrayBuffer();
      if (res.status === 200 || res.status === 401) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`docker-registry did not answer:\n${out()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
