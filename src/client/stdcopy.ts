/**
 * Container output as typed chunks, on top of src/lib/stdcopy's frame decoder. Non-TTY attach
 * and logs streams carry stdcopy frames; a TTY stream is raw bytes, all of it stdout.
 */
import { StdcopyDemuxer } from '../lib/stdcopy.js';

/** Which stream a chunk of container output belongs to. */
export type OutputStream = 'stdin' | 'stdout' | 'stderr';

/** One piece of container output. A large frame may arrive as several chunks. */
export interface OutputChunk {
  stream: OutputStream;
  data: Buffer;
}

/** The daemon reported an error inside the stream (stdcopy stream 3, "systemerr"). */
export class StreamError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StreamError';
  }
}

/** Systemerr text is buffered until it ends; this caps it. */
const MAX_SYSTEMERR_BYTES = 64 * 1024;

/**
 * Demultiplexes a stdcopy byte stream. Throws `StdcopyFormatError` (from src/lib) on bytes that
 * are not frames or input ending inside a frame, and {@link StreamError} once a systemerr frame's
 * text is complete (the next frame or the end of input shows it is).
 */
export async function* demuxStdcopy(source: AsyncIterable<Buffer>): AsyncGenerator<OutputChunk> {
  const demuxer = new StdcopyDemuxer();
  const systemErr: Buffer[] = [];
  let systemErrSize = 0;
  for await (const chunk of source) {
    // Consecutive frames of one stream within a read are handed out as one chunk: a log of a
    // million short lines is then a few thousand chunks, not a million.
    let run: { stream: number; parts: Buffer[] } | undefined;
    const flush = (): OutputChunk | undefined => {
      if (run === undefined) return undefined;
      const data = run.parts.length === 1 ? (run.parts[0] as Buffer) : Buffer.concat(run.parts);
      const stream = run.stream === 2 ? 'stderr' : run.stream === 0 ? 'stdin' : 'stdout';
      run = undefined;
      return data.length > 0 ? { stream, data } : undefined;
    };
    for (const piece of demuxer.push(chunk)) {
      if (piece.stream === 3) {
        const before = flush();
        if (before) yield before;
        systemErrSize += piece.data.length;
        if (systemErrSize <= MAX_SYSTEMERR_BYTES) systemErr.push(piece.data);
        continue;
      }
      if (systemErr.length > 0) throw new StreamError(Buffer.concat(systemErr).toString('utf8'));
      if (run !== undefined && run.stream !== piece.stream) {
        const out = flush();
        if (out) yield out;
      }
      if (run === undefined) run = { stream: piece.stream, parts: [] };
      run.parts.push(piece.data);
    }
    const out = flush();
    if (out) yield out;
  }
  demuxer.end();
  if (systemErr.length > 0) throw new StreamError(Buffer.concat(systemErr).toString('utf8'));
}

/**
 * Container output as chunks: demultiplexed when `multiplexed` (non-TTY), else every byte is
 * stdout (a TTY merges the streams).
 */
export async function* outputChunks(
  source: AsyncIterable<Buffer>,
  multiplexed: boolean,
): AsyncGenerator<OutputChunk> {
  if (multiplexed) {
    yield* demuxStdcopy(source);
    return;
  }
  for await (const data of source) {
    if (data.length > 0) yield { stream: 'stdout', data };
  }
}
