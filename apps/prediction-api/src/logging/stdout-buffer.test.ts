// The node server's buffered log output, against real file descriptors: a file, and the write end of a pipe whose
// reader is slow (the write fails with EAGAIN) or gone (EPIPE). No line may be lost or reordered while someone
// reads, and the server must never be stopped by its logs.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { atomicWriteBytes, createStdoutBuffer, type StdoutBuffer } from './stdout-buffer';

const scratch = mkdtempSync(join(tmpdir(), 'stdout-buffer-'));
/** A child reading our pipe through `script` (its stdin), and the fd of our end, which libuv made non-blocking. */
function pipeTo(script: string, stdout: 'ignore' | 'pipe' = 'ignore') {
  const reader = spawn('sh', ['-c', script], { stdio: ['pipe', stdout, 'inherit'] });
  return { reader, fd: (reader.stdin as unknown as { _handle: { fd: number } })._handle.fd };
}

/** Flushes until what the reader has stops growing, then ends the pipe and waits for the reader to exit. */
async function drain(buffer: StdoutBuffer, reader: ChildProcess, received: () => number): Promise<void> {
  let last = -1;
  let still = 0;
  while (still < 3) {
    buffer.flushSync();
    await new Promise((r) => setTimeout(r, 100));
    const now = received();
    still = now === last && now > 0 ? still + 1 : 0;
    last = now;
  }
  reader.stdin?.end();
  await new Promise((r) => reader.once('exit', r));
}

const lineOf = (i: number) => `${JSON.stringify({ i, text: 'x'.repeat(i % 50), note: 'é😀' })}\n`;

describe('stdout buffer', () => {
  it('writes when the next line would not fit, on its timer, and on flushSync; in order', async () => {
    const file = join(scratch, 'file.log');
    const fd = openSync(file, 'w');
    const writes: number[] = [];
    const recorded = (to: number, bytes: Uint8Array) => (writes.push(bytes.length), writeSync(to, bytes));
    const buffer = createStdoutBuffer({ fd, bufferBytes: 1000, flushEveryMs: 50, write: recorded });
    buffer.write(lineOf(0));
    expect(readFileSync(file, 'utf8')).toBe(''); // held back: it fits
    await new Promise((r) => setTimeout(r, 150));
    expect(readFileSync(file, 'utf8')).toBe(lineOf(0)); // the timer wrote it
    for (let i = 1; i < 100; i++) buffer.write(lineOf(i));
    const lines = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => lineOf(from + i)).join('');
    const written = readFileSync(file, 'utf8');
    const writtenLines = written.split('\n').length - 1;
    // Whole lines went out, and what is held back is less than one buffer: the line after it would not have fit.
    expect(written).toBe(lines(0, writtenLines));
    expect(Buffer.byteLength(lines(writtenLines, 100))).toBeLessThanOrEqual(1000);
    buffer.flushSync();
    expect(readFileSync(file, 'utf8')).toBe(lines(0, 100));
    // One write per buffer: each full but for less than the line that came next, none split in two.
    expect(writes.length).toBeGreaterThan(5);
    for (const bytes of writes) expect(bytes).toBeLessThanOrEqual(1000);
    expect(writes.slice(1, -1).every((bytes) => bytes > 1000 - Buffer.byteLength(lineOf(49)))).toBe(true);
    closeSync(fd);
  });

  it('keeps what a full pipe refuses (EAGAIN) and writes it once the reader catches up', async () => {
    const out = join(scratch, 'pipe.log');
    // The reader starts reading only after a while: until then the pipe fills and writes fail with EAGAIN.
    // (3 s, so that a loaded machine's slow loop is still told apart from a write that waits for the reader.)
    const { reader, fd } = pipeTo(`sleep 3; cat > '${out}'`);
    const buffer = createStdoutBuffer({ fd, flushEveryMs: 20 });
    const count = 20_000; // ~1.4 MB, far more than a pipe holds
    const started = Date.now();
    for (let i = 0; i < count; i++) buffer.write(lineOf(i));
    // Never blocked on the full pipe: the writes return long before the reader starts.
    expect(Date.now() - started).toBeLessThan(2_500);
    await drain(buffer, reader, () => (existsSync(out) ? statSync(out).size : 0));
    expect(readFileSync(out, 'utf8')).toBe(Array.from({ length: count }, (_, i) => lineOf(i)).join(''));
  });

  it('drops lines when nobody reads any more (EPIPE), without throwing', async () => {
    // The reader closes its end of the pipe at once and lives on: our writes fail with EPIPE.
    const { reader, fd } = pipeTo('exec 0<&-; sleep 2');
    await new Promise((r) => setTimeout(r, 300));
    const buffer = createStdoutBuffer({ fd, bufferBytes: 10 });
    expect(() => writeSync(fd, 'probe')).toThrow(expect.objectContaining({ code: 'EPIPE' }));
    expect(() => {
      for (let i = 0; i < 100; i++) buffer.write(lineOf(i));
      buffer.flushSync();
    }).not.toThrow();
    reader.kill();
  });

  it('stops holding lines past maxPendingBytes, and says how many it dropped', async () => {
    const { reader, fd } = pipeTo('sleep 1; cat', 'pipe');
    let received = '';
    reader.stdout?.on('data', (chunk: Buffer) => (received += chunk.toString()));
    const buffer = createStdoutBuffer({ fd, flushEveryMs: 20, maxPendingBytes: 200_000 });
    for (let i = 0; i < 20_000; i++) buffer.write(lineOf(i));
    await drain(buffer, reader, () => received.length);
    const lines = received.trimEnd().split('\n').map((l) => JSON.parse(l) as { i?: number; msg?: string; dropped?: number });
    const kept = lines.filter((l) => l.i !== undefined).map((l) => l.i);
    const notice = lines.find((l) => l.msg?.startsWith('log lines dropped'));
    // What was kept is a prefix, in order; the rest is counted in one notice.
    expect(kept).toEqual(Array.from({ length: kept.length }, (_, i) => i));
    expect(kept.length).toBeLessThan(20_000);
    expect(notice?.dropped).toBe(20_000 - kept.length);
  });

  it('writes whole lines of at most PIPE_BUF bytes at a time, so workers sharing a pipe never cut each other’s lines', () => {
    const file = join(scratch, 'pieces.log');
    const fd = openSync(file, 'w');
    const pieces: string[] = [];
    const recorded = (to: number, bytes: Uint8Array) => (pieces.push(Buffer.from(bytes).toString()), writeSync(to, bytes));
    const buffer = createStdoutBuffer({ fd, write: recorded });
    const long = `${'y'.repeat(5000)}\n`;
    const text = Array.from({ length: 200 }, (_, i) => lineOf(i)).join('') + long + lineOf(1);
    for (let i = 0; i < 200; i++) buffer.write(lineOf(i));
    buffer.write(long);
    buffer.write(lineOf(1));
    buffer.flushSync();
    closeSync(fd);
    expect(readFileSync(file, 'utf8')).toBe(text);
    expect(pieces.length).toBeGreaterThan(2);
    for (const piece of pieces) {
      expect(piece.endsWith('\n')).toBe(true);
      if (piece !== long) expect(Buffer.byteLength(piece)).toBeLessThanOrEqual(atomicWriteBytes);
    }
    expect(pieces).toContain(long); // longer than one atomic write: written alone
  });
});
