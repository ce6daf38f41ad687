// What every benchmark scenario uses: servers started as their own processes (stdout to a file, as a container's
// log driver takes it), their CPU and memory read from /proc over the whole process tree (cluster workers too),
// wrk for closed-loop load (open-loop.ts sends fixed request rates: overload, soak).
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const workspaceRoot = fileURLToPath(new URL('../../../', import.meta.url));

export interface Server {
  name: string;
  /** http://127.0.0.1:<port> */
  base: string;
  pid: number;
  /** Where its stdout went: the log lines it wrote. */
  logFile: string;
  /** CPU ms used so far by the process and every live descendant (cluster workers). */
  cpuMs(): number;
  /** Resident memory of the process tree, in bytes. */
  rssBytes(): number;
  stop(): Promise<void>;
}

const clockTicksPerSecond = 100;

function descendants(pid: number): number[] {
  const children: number[] = [];
  try {
    for (const task of readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/)) {
      if (task) children.push(Number(task), ...descendants(Number(task)));
    }
  } catch {
    // gone
  }
  return children;
}

function processCpuMs(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / clockTicksPerSecond;
  } catch {
    return 0;
  }
}

function processRss(pid: number): number {
  try {
    const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return Number(kb ?? 0) * 1024;
  } catch {
    return 0;
  }
}

const tree = (pid: number) => [pid, ...descendants(pid)];

/** CPU ms used so far by a process and every live descendant (cluster workers, tsx's child). */
export const treeCpuMs = (pid: number): number => tree(pid).reduce((n, p) => n + processCpuMs(p), 0);

/**
 * The machine's CPU time so far, all cores, from /proc/stat: `steal` is what the hypervisor gave other guests while
 * this VM wanted to run, so a slow stretch can be told from one of the server's own.
 */
export function machineCpuMs(): { total: number; steal: number } {
  const fields = (readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '').trim().split(/\s+/).slice(1).map(Number);
  const toMs = (ticks: number) => (ticks * 1000) / clockTicksPerSecond;
  return { total: toMs(fields.reduce((a, b) => a + b, 0)), steal: toMs(fields[7] ?? 0) };
}

export interface StartOptions {
  name: string;
  /** node's arguments (script and its own). */
  args: string[];
  env?: Record<string, string>;
  cwd?: string;
  /** Polled until it answers 2xx: a path, or a POST with a body. */
  ready: { path: string; body?: string };
  logDir: string;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The port of the first line in `logFile` whose msg is `msg` (either field order); undefined until it is logged. */
export function loggedPort(logFile: string, msg: string): number | undefined {
  const log = existsSync(logFile) ? readFileSync(logFile, 'utf8') : '';
  const found = new RegExp(`"port":(\\d+)[^\\n]*"msg":"${msg}"|"msg":"${msg}"[^\\n]*"port":(\\d+)`).exec(log);
  return found ? Number(found[1] ?? found[2]) : undefined;
}

/** Starts node with `args`, reads its port from its first "listening" log line (loggedPort), and waits until `ready` answers 2xx. */
export async function startServer(options: StartOptions): Promise<Server> {
  const logFile = join(options.logDir, `${options.name.replace(/[^a-z0-9]+/gi, '-')}.log`);
  const child: ChildProcess = spawn(process.execPath, options.args, {
    cwd: options.cwd ?? workspaceRoot,
    env: { ...process.env, PORT: '0', GRPC_PORT: '0', HOST: '127.0.0.1', ...options.env },
    stdio: ['ignore', openSync(logFile, 'w'), 'inherit'],
  });
  let exited: number | null | undefined;
  child.once('exit', (code) => (exited = code));
  const stop = async () => {
    if (exited !== undefined) return;
    const gone = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await Promise.race([gone, sleep(15_000)]);
    if (exited === undefined) child.kill('SIGKILL');
  };
  for (let i = 0; i < 1200; i++) {
    const port = loggedPort(logFile, 'listening');
    if (port !== undefined) {
      const base = `http://127.0.0.1:${port}`;
      for (let j = 0; j < 1200; j++) {
        const init = options.ready.body === undefined ? {} : { method: 'POST', body: options.ready.body, headers: { 'content-type': 'application/json' } };
        if (await fetch(base + options.ready.path, init).then((r) => r.ok, () => false)) {
          const pid = child.pid ?? 0;
          return {
            name: options.name,
            base,
            pid,
            logFile,
            cpuMs: () => treeCpuMs(pid),
            rssBytes: () => tree(pid).reduce((n, p) => n + processRss(p), 0),
            stop,
          };
        }
        if (exited !== undefined) break;
        await sleep(50);
      }
      break;
    }
    if (exited !== undefined) break;
    await sleep(50);
  }
  await stop();
  throw new Error(`${options.name} (${options.args.join(' ')}) did not get ready: see ${logFile}`);
}

export interface LoadResult {
  requests: number;
  rps: number;
  p50Ms: number;
  p99Ms: number;
  /** Non-2xx answers and socket errors. */
  failures: number;
}

export interface WrkOptions {
  /** POSTed as it is (GET when undefined); a JSON string unless `headers` say otherwise. */
  body?: string | Uint8Array;
  /** Request headers; default content-type application/json for a body. */
  headers?: Record<string, string>;
  connections: number;
  seconds: number;
  scratch: string;
  /** wrk threads (default 2, or fewer connections); `timeoutSeconds`: wrk's per-request timeout (default its 2 s). */
  threads?: number;
  timeoutSeconds?: number;
}

/** The Lua script that makes wrk send the body and headers; a binary body is read from a file, byte for byte. */
function wrkScript({ body, headers, scratch }: WrkOptions): string {
  if (body === undefined) {
    const get = join(scratch, 'wrk-get.lua');
    if (!existsSync(get)) writeFileSync(get, '');
    return get;
  }
  const sent = headers ?? { 'content-type': 'application/json' };
  const key = createHash('sha1').update(body).update(JSON.stringify(sent)).digest('hex').slice(0, 16);
  const script = join(scratch, `wrk-post-${key}.lua`);
  if (!existsSync(script)) {
    const bodyFile = join(scratch, `wrk-post-${key}.body`);
    writeFileSync(bodyFile, body);
    const lines = Object.entries(sent).map(([name, value]) => `wrk.headers[${JSON.stringify(name)}] = ${JSON.stringify(value)}`);
    writeFileSync(script, ['wrk.method = "POST"', ...lines, `local f = io.open(${JSON.stringify(bodyFile)}, "rb")`, 'wrk.body = f:read("*a")', 'f:close()', ''].join('\n'));
  }
  return script;
}

/** Closed-loop load from wrk: `connections` connections sending `body` (GET when undefined) as fast as answered. */
export function wrk(url: string, options: WrkOptions): LoadResult {
  const script = wrkScript(options);
  const threads = options.threads ?? Math.min(2, options.connections);
  const timeout = options.timeoutSeconds === undefined ? [] : ['--timeout', `${options.timeoutSeconds}s`];
  const out = execFileSync('wrk', [`-t${threads}`, `-c${options.connections}`, `-d${options.seconds}s`, ...timeout, '--latency', '-s', script, url], {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  const latency = (p: string) => {
    // wrk pads its latency lines with a trailing space.
    const m = new RegExp(`^\\s*${p}%\\s+([\\d.]+)(us|ms|s)\\s*$`, 'm').exec(out);
    return m ? Number(m[1]) * { us: 0.001, ms: 1, s: 1000 }[m[2] as 'us' | 'ms' | 's'] : Number.NaN;
  };
  const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? 0);
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
  const socketErrors = socket ? socket.slice(1).reduce((n, v) => n + Number(v), 0) : 0;
  return {
    requests: Number(/(\d+) requests in/.exec(out)?.[1] ?? 0),
    rps: Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1] ?? 0),
    p50Ms: latency('50'),
    p99Ms: latency('99'),
    failures: non2xx + socketErrors,
  };
}

export function hasWrk(): boolean {
  try {
    execFileSync('wrk', ['--version'], { stdio: 'ignore' });
    return true;
  } catch (err) {
    // wrk --version exits 1 after printing its version: only a missing binary is ENOENT.
    return (err as NodeJS.ErrnoException).code !== 'ENOENT';
  }
}

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

export const median = (values: readonly number[]): number => percentile(values, 50);
