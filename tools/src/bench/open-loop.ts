// Open-loop load: requests sent at a fixed rate whatever the server's answers take, as real clients keep arriving
// (wrk slows down with the server, which hides an overload). Each request is timed from when it was due, so a
// late send counts against the server's figure, never in its favour.
//
// Raw sockets and one prebuilt request, not node:http: its client costs more CPU per request than the server's
// refusal does, and on a 2-core machine the generator's CPU is taken from the server it measures. A keep-alive pool
// grows when every connection is busy (as a load balancer's does) up to `maxConnections`, then pipelines on the
// least busy one.
import { connect, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { percentile } from './harness';

export interface OpenLoopOptions {
  /** POSTed as JSON; a GET without one. */
  body?: string;
  /** Requests a second. */
  rate: number;
  seconds: number;
  /** A request with no answer this long after it was due counts as an error (default 10 s). */
  timeoutMs?: number;
  /** Default 512. */
  maxConnections?: number;
}

export interface OpenLoopResult {
  sent: number;
  /** Latencies (ms) of answers, by status. */
  byStatus: Map<number, number[]>;
  /** Requests that got no answer (socket error, closed connection, timeout). */
  errors: number;
  /** How late (ms) each request was sent after it was due: the generator's own share of every latency. */
  sendLateness: number[];
}

interface Connection {
  socket: Socket;
  /** When each request sent on it and not yet answered was due (HTTP/1.1 answers in order). */
  due: number[];
  /** Bytes of an answer not yet complete. */
  partial: Buffer | undefined;
  open: boolean;
}

export async function openLoop(url: string, options: OpenLoopOptions): Promise<OpenLoopResult> {
  const target = new URL(url);
  const port = Number(target.port || 80);
  const { body } = options;
  const head = `${body === undefined ? 'GET' : 'POST'} ${target.pathname}${target.search} HTTP/1.1\r\nHost: ${target.host}\r\n`;
  const request = Buffer.from(
    body === undefined ? `${head}\r\n` : `${head}Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
  const maxConnections = options.maxConnections ?? 512;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const result: OpenLoopResult = { sent: 0, byStatus: new Map(), errors: 0, sendLateness: [] };
  const connections: Connection[] = [];
  const idle: Connection[] = [];
  let outstanding = 0;

  const answered = (conn: Connection, status: number) => {
    const due = conn.due.shift();
    if (due === undefined) return;
    outstanding--;
    const latencies = result.byStatus.get(status);
    const ms = performance.now() - due;
    if (latencies) latencies.push(ms);
    else result.byStatus.set(status, [ms]);
    if (conn.due.length === 0 && conn.open) idle.push(conn);
  };
  const fail = (conn: Connection) => {
    if (!conn.open) return;
    conn.open = false;
    result.errors += conn.due.length;
    outstanding -= conn.due.length;
    conn.due = [];
    conn.socket.destroy();
    const i = idle.indexOf(conn);
    if (i >= 0) idle.splice(i, 1);
    connections.splice(connections.indexOf(conn), 1);
  };
  const open = (): Connection => {
    const socket = connect({ host: target.hostname, port, noDelay: true });
    const conn: Connection = {
      socket,
      due: [],
      partial: undefined,
      open: true,
    };
    socket.on('data', (chunk: Buffer) => {
      let buffer = conn.partial ? Buffer.concat([conn.partial, chunk]) : chunk;
      for (;;) {
        const parsed = parseAnswer(buffer);
        if (!parsed) break;
        answered(conn, parsed.status);
        if (parsed.closes) return fail(conn);
        buffer = buffer.subarray(parsed.length);
      }
      conn.partial = buffer.length > 0 ? buffer : undefined;
    });
    socket.on('error', () => fail(conn));
    socket.on('close', () => fail(conn));
    connections.push(conn);
    return conn;
  };
  const send = (due: number) => {
    result.sent++;
    outstanding++;
    let conn = idle.pop();
    if (!conn) conn = connections.length < maxConnections ? open() : leastBusy(connections);
    conn.due.push(due);
    conn.socket.write(request);
    result.sendLateness.push(performance.now() - due);
  };

  const start = performance.now();
  const end = start + options.seconds * 1000;
  const interval = 1000 / options.rate;
  let next = start;
  while (next < end) {
    const now = performance.now();
    while (next <= now && next < end) {
      send(next);
      next += interval;
    }
    await sleep(1);
  }
  const giveUp = performance.now() + timeoutMs;
  while (outstanding > 0 && performance.now() < giveUp) await sleep(5);
  for (const conn of [...connections]) fail(conn);
  return result;
}

function leastBusy(connections: Connection[]): Connection {
  let best = connections[0] as Connection;
  for (const conn of connections) if (conn.due.length < best.due.length) best = conn;
  return best;
}

const headerEnd = Buffer.from('\r\n\r\n');

/** One complete HTTP/1.1 answer at the start of `buffer`: its status and length, or undefined while incomplete. */
function parseAnswer(buffer: Buffer): { status: number; length: number; closes: boolean } | undefined {
  const end = buffer.indexOf(headerEnd);
  if (end < 0) return undefined;
  const head = buffer.toString('latin1', 0, end).toLowerCase();
  const status = Number(head.slice(9, 12));
  const closes = /\r\nconnection: *close/.test(head);
  const bodyStart = end + 4;
  const contentLength = /\r\ncontent-length: *(\d+)/.exec(head);
  if (contentLength) {
    const length = bodyStart + Number(contentLength[1]);
    return buffer.length >= length ? { status, length, closes } : undefined;
  }
  if (!/\r\ntransfer-encoding: *chunked/.test(head)) return { status, length: bodyStart, closes };
  // Chunked: walk the chunks to the empty one.
  let at = bodyStart;
  for (;;) {
    const lineEnd = buffer.indexOf('\r\n', at, 'latin1');
    if (lineEnd < 0) return undefined;
    const size = parseInt(buffer.toString('latin1', at, lineEnd), 16);
    if (size === 0) {
      const length = lineEnd + 4;
      return buffer.length >= length ? { status, length, closes } : undefined;
    }
    at = lineEnd + 2 + size + 2;
    if (at > buffer.length) return undefined;
  }
}

/**
 * The highest open-loop rate the server keeps up with: every request answered 2xx with p99 ≤ 50 ms, stepping up by a
 * tenth of wrk's rate from 30% of it. wrk's closed loop gets several requests per wake-up on its few connections and
 * reaches rates that a stream of independent requests, as the soak and the overload group send, would overload.
 */
export async function openLoopSaturation(url: string, body: string, closedLoop: number): Promise<number> {
  let kept = 0;
  for (let share = 0.3; share <= 1.2; share += 0.1) {
    const rate = Math.round(closedLoop * share);
    const { byStatus, errors } = await openLoop(url, { body, rate, seconds: 3 });
    const ok = byStatus.get(200) ?? [];
    const keptUp = errors === 0 && ok.length === [...byStatus.values()].reduce((n, l) => n + l.length, 0) && percentile(ok, 99) <= 50;
    console.log(`  ${rate} req/s: ${keptUp ? 'kept up' : 'fell behind'} (p99 ${percentile(ok, 99).toFixed(1)} ms, ${errors} errors)`);
    if (!keptUp) break;
    kept = rate;
    await sleep(1000);
  }
  if (kept === 0) throw new Error(`the server fell behind at 30% of wrk's ${closedLoop.toFixed(0)} req/s already`);
  return kept;
}
