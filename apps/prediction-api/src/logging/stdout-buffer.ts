// Log lines gathered in memory and written to stdout in writes of at most 4 KiB: on the node server one write per
// request costs about as much as a small prediction. pino's own buffered destination (sonic-boom) measures the
// UTF-8 length of its whole pending buffer on every line, which under load cost more than the line itself. Here each
// line is encoded once, straight into the buffer that is written, and a write is never split in two.
import { writeSync } from 'node:fs';
import type { DestinationStream } from 'pino';

export interface StdoutBuffer extends DestinationStream {
  /** Write whatever is pending now (at exit, on shutdown). */
  flushSync(): void;
}

export interface StdoutBufferOptions {
  fd?: number;
  /** Bytes gathered before a write: a line that would not fit sends what is gathered first. At most atomicWriteBytes. */
  bufferBytes?: number;
  /** Pending lines are written at least this often, so a quiet server's lines are not held back. */
  flushEveryMs?: number;
  /** Past this many bytes that stdout refused (it is not draining), new lines are dropped and counted. */
  maxPendingBytes?: number;
  /** How bytes reach the fd: fs.writeSync, or a test's recorder of each write. */
  write?: (fd: number, bytes: Uint8Array) => number;
}

/**
 * A write of at most PIPE_BUF (4096) bytes to a pipe is atomic. The node server's workers share one stdout (a pipe
 * under docker or systemd), so each write is whole lines within that size, and a longer write cannot interleave
 * with another worker's in the middle of a line. A line longer than that is written alone.
 */
export const atomicWriteBytes = 4096;

// UTF-8 takes at most 3 bytes per UTF-16 code unit: a line this short surely fits without measuring it.
const maxBytesPerChar = 3;

export function createStdoutBuffer(options: StdoutBufferOptions = {}): StdoutBuffer {
  const { fd = 1, flushEveryMs = 200, maxPendingBytes = 16 * 1024 * 1024, write = writeSync } = options;
  const gathered = Buffer.allocUnsafe(Math.min(options.bufferBytes ?? atomicWriteBytes, atomicWriteBytes));
  let used = 0;
  // What stdout refused (it was full), in order: written first next time.
  const refused: Buffer[] = [];
  let refusedBytes = 0;
  let dropped = 0;
  const keep = (bytes: Buffer): void => {
    refused.push(bytes);
    refusedBytes += bytes.length;
  };

  /**
   * Writes `bytes`; false when stdout takes no more now, with what it did not take kept at the end of `refused`
   * (copied when `copy`: the gathering buffer is reused).
   */
  const writeOut = (bytes: Buffer, copy: boolean): boolean => {
    let rest = bytes;
    while (rest.length > 0) {
      try {
        rest = rest.subarray(write(fd, rest));
      } catch (error) {
        // A non-blocking stdout that is full (EAGAIN): keep the rest for the next flush rather than spin here.
        // Anything else (EPIPE: nobody reads stdout any more) loses these lines; the server carries on.
        if ((error as NodeJS.ErrnoException).code === 'EAGAIN') {
          keep(copy ? Buffer.from(rest) : rest);
          return false;
        }
        return true;
      }
    }
    return true;
  };

  const flushRefused = (): boolean => {
    while (refused.length > 0) {
      const head = refused.shift() as Buffer;
      refusedBytes -= head.length;
      if (!writeOut(head, false)) {
        // writeOut kept its rest at the end: it goes back to the front, before the younger chunks.
        refused.unshift(refused.pop() as Buffer);
        return false;
      }
    }
    return true;
  };

  const flushSync = (): void => {
    if (dropped > 0) {
      const notice = `${JSON.stringify({ level: 'warn', time: Date.now(), msg: 'log lines dropped: stdout was not draining', dropped })}\n`;
      dropped = 0;
      append(notice);
    }
    const pending = gathered.subarray(0, used);
    used = 0;
    if (!flushRefused()) {
      if (pending.length > 0) keep(Buffer.from(pending));
      return;
    }
    if (pending.length > 0) writeOut(pending, true);
  };

  function append(line: string): void {
    if (used + line.length * maxBytesPerChar <= gathered.length) {
      used += gathered.write(line, used);
      return;
    }
    const bytes = Buffer.byteLength(line);
    if (used + bytes <= gathered.length) {
      used += gathered.write(line, used);
      return;
    }
    flushSync();
    if (bytes <= gathered.length) used += gathered.write(line, used);
    else if (refused.length === 0) writeOut(Buffer.from(line), false);
    else keep(Buffer.from(line));
  }

  const timer = setInterval(flushSync, flushEveryMs);
  timer.unref();

  return {
    write(line: string) {
      if (refusedBytes > maxPendingBytes) {
        dropped++;
        return;
      }
      append(line);
    },
    flushSync,
  };
}
