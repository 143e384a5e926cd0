import { EventEmitter } from 'node:events';
import { closeSync, constants, openSync } from 'node:fs';
import { join } from 'node:path';
import { SeqpacketSocket } from 'node-unix-socket';
import { systemError } from '../../errors/index.js';

/** Which of the container's output streams a chunk came from. */
export type AttachStream = 'stdout' | 'stderr';

/**
 * A live connection to conmon's attach socket (LOWLEVEL §2.3). It carries only output produced
 * while connected; history comes from the log. With a TTY all output is 'stdout'.
 *
 * Events: `'data' (stream, chunk)`, and `'close' (err?)` exactly once, when conmon closes the
 * socket (the container exited), on a socket error, or after {@link AttachConnection.close}.
 */
export interface AttachConnection extends EventEmitter {
  on(event: 'data', listener: (stream: AttachStream, chunk: Buffer) => void): this;
  on(event: 'close', listener: (err?: Error) => void): this;
  once(event: 'close', listener: (err?: Error) => void): this;
  /** Sends raw bytes to the container's stdin (or pty). Ignored after close. */
  write(data: Buffer): void;
  /**
   * Half-closes the connection: conmon sees end-of-input and, without `--leave-stdin-open`,
   * closes the container's stdin, while output keeps flowing to this connection.
   */
  closeStdin(): void;
  /** Disconnects. Without `--leave-stdin-open` this closes the container's stdin (P6). */
  close(): void;
}

/** sun_path holds 108 bytes including the terminating NUL. */
const SUN_PATH_MAX = 107;
/**
 * conmon reads each message into a 32 KiB buffer (older versions 8 KiB); a longer SEQPACKET
 * message would be truncated, so stdin is sent in pieces no larger than this.
 */
const MAX_STDIN_MESSAGE = 8192;

class Connection extends EventEmitter implements AttachConnection {
  #closed = false;
  constructor(private readonly sock: SeqpacketSocket) {
    super();
    sock.on('data', (msg: Buffer) => {
      // Byte 0 is conmon's stream id: 2 = stdout, 3 = stderr. Anything else is not output.
      const stream = msg[0] === 2 ? 'stdout' : msg[0] === 3 ? 'stderr' : undefined;
      if (stream !== undefined && msg.length > 1) this.emit('data', stream, msg.subarray(1));
    });
    // The library closes the fd on 'end' only after our own shutdown, so close it here.
    sock.on('end', () => this.#finish());
    sock.on('error', (err: Error) => this.#finish(err));
    sock.on('close', () => this.#finish());
  }

  write(data: Buffer): void {
    if (this.#closed) return;
    for (let off = 0; off < data.length; off += MAX_STDIN_MESSAGE) {
      const piece = data.subarray(off, Math.min(off + MAX_STDIN_MESSAGE, data.length));
      try {
        this.sock.write(piece, 0, piece.length);
      } catch (e) {
        this.#finish(e as Error);
        return;
      }
    }
  }

  closeStdin(): void {
    if (this.#closed) return;
    try {
      this.sock.end();
    } catch (e) {
      this.#finish(e as Error);
    }
  }

  close(): void {
    this.#finish();
  }

  #finish(err?: Error): void {
    if (this.#closed) return;
    this.#closed = true;
    this.sock.destroy();
    this.emit('close', err);
  }
}

/**
 * Connects to `<bundleDir>/attach`. A path too long for sun_path is reached through
 * `/proc/self/fd/<dirfd>/attach`, a directory fd held only while connecting.
 * Rejects with a 'System' BerthError when the socket is absent (conmon gone) or refuses.
 */
export function connectAttach(bundleDir: string): Promise<AttachConnection> {
  let dirFd: number | undefined;
  let path = join(bundleDir, 'attach');
  if (Buffer.byteLength(path) > SUN_PATH_MAX) {
    try {
      dirFd = openSync(bundleDir, constants.O_RDONLY | constants.O_DIRECTORY);
    } catch (e) {
      return Promise.reject(systemError(`cannot attach: ${(e as Error).message}`, e));
    }
    path = `/proc/self/fd/${dirFd}/attach`;
  }
  const releaseDir = (): void => {
    if (dirFd !== undefined) closeSync(dirFd);
    dirFd = undefined;
  };
  return new Promise((resolve, reject) => {
    const sock = new SeqpacketSocket();
    const onError = (err: Error): void => {
      releaseDir();
      sock.destroy();
      reject(systemError(`cannot attach to ${bundleDir}: ${err.message}`, err));
    };
    sock.once('error', onError);
    try {
      sock.connect(path, () => {
        releaseDir();
        sock.off('error', onError);
        resolve(new Connection(sock));
      });
    } catch (e) {
      onError(e as Error);
    }
  });
}
