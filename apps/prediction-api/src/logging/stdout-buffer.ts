// Log lines gathered in memory and written to stdout in ~4 KiB synchronous writes: on the node server one write
// per request costs about as much as a small prediction. pino's own buffered destination (sonic-boom) measures the
// UTF-8 length of its whole pending buffer on every line, which under load cost more than the line itself.
import { writeSync } from 'node:fs';
import type { DestinationStream } from 'pino';

export interface StdoutBuffer extends DestinationStream {
  /** Write whatever is pending now (at exit, on shutdown). */
  flushSync(): void;
}

export interface StdoutBufferOptions {
  fd?: number;
  /** Pending characters that trigger a write. */
  flushAtChars?: number;
  /** Pending lines are written at least this often, so a quiet server's lines are not held back. */
  flushEveryMs?: number;
  /** Past this many pending characters (stdout not draining), new lines are dropped and counted. */
  maxPendingChars?: number;
}

/**
 * A write of at most PIPE_BUF (4096) bytes to a pipe is atomic. The node server's workers share one stdout (a pipe
 * under docker or systemd), so each write is whole lines within that size, and a longer write cannot interleave
 * with another worker's in the middle of a line.
 */
export const atomicWriteBytes = 4096;

/** The lines at the start of `bytes` that fit one atomic write (a line longer than that is written alone). */
export function nextPiece(bytes: Buffer): Buffer {
  if (bytes.length <= atomicWriteBytes) return bytes;
  const lastEnd = bytes.lastIndexOf(0x0a, atomicWriteBytes - 1);
  if (lastEnd >= 0) return bytes.subarray(0, lastEnd + 1);
  const end = bytes.indexOf(0x0a, atomicWriteBytes);
  return end < 0 ? bytes : bytes.subarray(0, end + 1);
}

export function createStdoutBuffer(options: StdoutBufferOptions = {}): StdoutBuffer {
  const { fd = 1, flushAtChars = 4096, flushEveryMs = 200, maxPendingChars = 16 * 1024 * 1024 } = options;
  let pending: string[] = [];
  let pendingChars = 0;
  // Bytes a write left unwritten (stdout full, or a partial write): written first next time.
  let leftover: Buffer | undefined;
  let dropped = 0;

  const flushSync = (): void => {
    if (pendingChars === 0 && !leftover) return;
    if (dropped > 0) {
      pending.push(`${JSON.stringify({ level: 'warn', time: Date.now(), msg: 'log lines dropped: stdout was not draining', dropped })}\n`);
      dropped = 0;
    }
    const text = pending.join('');
    pending = [];
    pendingChars = 0;
    let bytes = leftover ? Buffer.concat([leftover, Buffer.from(text)]) : Buffer.from(text);
    leftover = undefined;
    while (bytes.length > 0) {
      try {
        bytes = bytes.subarray(writeSync(fd, nextPiece(bytes)));
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        // A non-blocking stdout that is full: keep the rest for the next flush rather than spin here.
        if (code === 'EAGAIN') leftover = bytes;
        // Anything else (EPIPE: nobody reads stdout any more) loses these lines; the server carries on.
        return;
      }
    }
  };

  const timer = setInterval(flushSync, flushEveryMs);
  timer.unref();

  return {
    write(line: string) {
      if (pendingChars + (leftover?.length ?? 0) > maxPendingChars) {
        dropped++;
        return;
      }
      pending.push(line);
      pendingChars += line.length;
      if (pendingChars >= flushAtChars) flushSync();
    },
    flushSync,
  };
}
