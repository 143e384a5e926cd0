import type { AttachConnection } from '../../drivers/runtime/attach.js';

/** One client attached to a container's stdio. */
export interface AttachSession {
  stdout: boolean;
  stderr: boolean;
  /** Receives container output for the streams the session asked for. */
  write(stream: 'stdout' | 'stderr', data: Buffer): void;
  /** Called once the container's stdio closes (it exited) or the hub drops the session. */
  end(): void;
  /** Set by the hub once connected: forwards client input to the container's stdin. */
  onConnected?(conn: AttachConnection): void;
  /** Resolves once the client can take more output; paces a log replay (see attach-replay.ts). */
  drained?(): Promise<void>;
}

/**
 * Connects attach sessions to conmon's attach socket. A session added before the container
 * starts waits here and is connected between `runtime create` and `runtime start`, so no output
 * is lost; one added to a running container is connected at once.
 */
export class AttachHub {
  private readonly pending = new Map<string, Set<AttachSession>>();

  constructor(private readonly connect: (bundleDir: string) => Promise<AttachConnection>) {}

  /** Queues a session for the container's next start; returns a function that drops it. */
  addPending(id: string, s: AttachSession): () => void {
    let set = this.pending.get(id);
    if (!set) this.pending.set(id, (set = new Set()));
    set.add(s);
    return () => {
      set.delete(s);
      if (set.size === 0 && this.pending.get(id) === set) this.pending.delete(id);
    };
  }

  hasPending(id: string): boolean {
    return (this.pending.get(id)?.size ?? 0) > 0;
  }

  /** Connects every queued session of `id`; called with the container created but not started. */
  async connectPending(id: string, bundleDir: string): Promise<void> {
    const set = this.pending.get(id);
    if (!set) return;
    this.pending.delete(id);
    await Promise.all([...set].map((s) => this.connectNow(bundleDir, s)));
  }

  /** Connects one session to a container whose conmon is up. */
  async connectNow(bundleDir: string, s: AttachSession): Promise<void> {
    let conn: AttachConnection;
    try {
      conn = await this.connect(bundleDir);
    } catch {
      s.end();
      return;
    }
    conn.on('data', (stream: 'stdout' | 'stderr', data: Buffer) => {
      if (stream === 'stdout' ? s.stdout : s.stderr) s.write(stream, data);
    });
    conn.on('close', () => s.end());
    s.onConnected?.(conn);
  }

  /** Ends every queued session of a container that will not start (it was removed). */
  dropAll(id: string): void {
    const set = this.pending.get(id);
    this.pending.delete(id);
    for (const s of set ?? []) s.end();
  }
}
