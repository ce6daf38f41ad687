// JSON vs binary tensors (Triton's binary data extension) on V2 infer, 1,000-row batches: the same rows to the same
// server, once as JSON `data` with JSON outputs, once as raw little-endian bytes after a JSON header with binary
// outputs (what tritonclient sends by default). Interleaved rounds, medians of rows/s, p50 and the server's CPU
// time per request (read from /proc, so a noisy machine skews it less than throughput).
// Run by hand: npx tsx tools/src/bench/binary-scenario.ts   Options (env): ROUNDS (3), SECONDS (4), CONNECTIONS (4),
// ROWS (1000), MODELS (diabetes,digits). The load comes from wrk (`apt-get install -y wrk`).
// Another harness calls binaryScenarioRequests() and measureRequests() with a server of its own.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { serveStore } from '../serve-store';

const root = fileURLToPath(new URL('../../../', import.meta.url));

/** One request a load generator sends over and over. */
export interface BenchRequest {
  label: string;
  url: string;
  headers: Record<string, string>;
  body: Uint8Array;
}

interface GoldenMatrix {
  rows: number[][];
  input: { name: string };
}

/** Golden rows of a single-matrix FP32 model, repeated to `rows`. */
function goldenMatrix(golden: string, rows: number): { name: string; width: number; values: number[] } {
  const file = JSON.parse(readFileSync(join(root, 'test-fixtures/golden', `${golden}.golden.json`), 'utf8')) as GoldenMatrix;
  const picked = Array.from({ length: rows }, (_, i) => file.rows[i % file.rows.length] ?? []);
  return { name: file.input.name, width: picked[0]?.length ?? 0, values: picked.flat() };
}

const goldenFiles: Record<string, string> = { diabetes: 'diabetes-rf', digits: 'digits-torch', wine: 'wine-xgb' };
const utf8 = new TextEncoder();

/** The same rows for `model` as a V2 JSON request and as a binary one asking for binary outputs. */
export function binaryScenarioRequests(baseUrl: string, model: string, rows: number): { json: BenchRequest; binary: BenchRequest } {
  const golden = goldenFiles[model];
  if (!golden) throw new Error(`no golden rows for ${model}; one of: ${Object.keys(goldenFiles).join(', ')}`);
  const { name, width, values } = goldenMatrix(golden, rows);
  const url = `${baseUrl}/v2/models/${model}/infer`;
  const shape = [rows, width];
  const json = JSON.stringify({ inputs: [{ name, shape, datatype: 'FP32', data: values }] });
  const bytes = new Uint8Array(Float32Array.from(values).buffer);
  const header = utf8.encode(
    JSON.stringify({ inputs: [{ name, shape, datatype: 'FP32', parameters: { binary_data_size: bytes.length } }], parameters: { binary_data_output: true } }),
  );
  const body = new Uint8Array(header.length + bytes.length);
  body.set(header);
  body.set(bytes, header.length);
  return {
    json: { label: `${model} JSON`, url, headers: { 'content-type': 'application/json' }, body: utf8.encode(json) },
    binary: { label: `${model} binary`, url, headers: { 'inference-header-content-length': String(header.length) }, body },
  };
}

/** Every output's elements, whether the answer was JSON or binary (FP32 and INT64 outputs: what these models return). */
async function answeredValues(request: BenchRequest): Promise<{ values: number[][]; bytes: number }> {
  const res = await fetch(request.url, { method: 'POST', headers: request.headers, body: request.body });
  if (res.status !== 200) throw new Error(`${request.label}: ${res.status} ${await res.text()}`);
  const answer = new Uint8Array(await res.arrayBuffer());
  const headerLength = Number(res.headers.get('inference-header-content-length') ?? answer.length);
  const head = JSON.parse(new TextDecoder().decode(answer.subarray(0, headerLength))) as {
    outputs: { datatype: string; data?: number[]; parameters?: { binary_data_size?: number } }[];
  };
  let offset = headerLength;
  const values = head.outputs.map((output) => {
    const size = output.parameters?.binary_data_size;
    if (size === undefined) return output.data ?? [];
    const copy = answer.slice(offset, offset + size).buffer;
    offset += size;
    return output.datatype === 'INT64' ? Array.from(new BigInt64Array(copy), Number) : Array.from(new Float32Array(copy));
  });
  return { values, bytes: answer.length };
}

export interface LoadResult {
  rps: number;
  p50Ms: number;
  non2xx: number;
  /** The server's user + system CPU time per answered request. */
  cpuMsPerRequest: number;
}

/**
 * utime + stime of a process and its descendants (tsx runs the server in a child process), in ms: Linux counts
 * clock ticks of 10 ms.
 */
function cpuMs(pid: number): number {
  // The fields after the command name, which is in parentheses: utime and stime are the 14th and 15th of all.
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(' ').filter(Boolean).map(Number);
  return (Number(fields[11]) + Number(fields[12])) * 10 + children.reduce((total, child) => total + cpuMs(child), 0);
}

const scratch = mkdtempSync(join(tmpdir(), 'binary-scenario-'));

function wrk(request: BenchRequest, pid: number, seconds: number, connections: number): LoadResult {
  const bodyFile = join(scratch, `${request.label.replace(/\W+/g, '-')}.body`);
  writeFileSync(bodyFile, request.body);
  const script = join(scratch, 'post.lua');
  const headers = Object.entries(request.headers).map(([name, value]) => `wrk.headers[${JSON.stringify(name)}] = ${JSON.stringify(value)}`);
  // The body is read from a file: Lua strings hold the binary bytes as they are.
  writeFileSync(script, [`wrk.method = "POST"`, ...headers, `local f = io.open(${JSON.stringify(bodyFile)}, "rb")`, `wrk.body = f:read("*a")`, `f:close()`].join('\n'));
  const before = cpuMs(pid);
  const out = execFileSync('wrk', ['-t1', `-c${connections}`, `-d${seconds}s`, '--timeout', '30s', '--latency', '-s', script, request.url], { encoding: 'utf8' });
  const cpu = cpuMs(pid) - before;
  // wrk pads its latency lines with a trailing space.
  const p50 = /^\s*50%\s+([\d.]+)(us|ms|s)\s*$/m.exec(out);
  const scale = { us: 0.001, ms: 1, s: 1000 }[(p50?.[2] ?? 'ms') as 'us' | 'ms' | 's'];
  const requests = Number(/(\d+) requests in/.exec(out)?.[1] ?? 0);
  // "Socket errors: connect 0, read 0, write 0, timeout 3": every kind counts.
  const socketErrors = [.../Socket errors: (.*)/.exec(out)?.[1]?.matchAll(/\d+/g) ?? []].reduce((n, m) => n + Number(m[0]), 0);
  return {
    rps: Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1]),
    p50Ms: Number(p50?.[1]) * scale,
    non2xx: Number(/Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? 0) + socketErrors,
    cpuMsPerRequest: requests > 0 ? cpu / requests : Number.NaN,
  };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

export interface MeasureOptions {
  /** The server's process id, whose CPU time is read. */
  pid: number;
  rounds: number;
  seconds: number;
  connections: number;
}

export interface MeasuredRequest {
  label: string;
  requestBytes: number;
  responseBytes: number;
  rps: number;
  p50Ms: number;
  cpuMsPerRequest: number;
  errors: number;
}

/**
 * Checks that the requests to one URL answer the same values, warms each up, then measures them all in
 * interleaved rounds: medians.
 */
export async function measureRequests(requests: BenchRequest[], options: MeasureOptions): Promise<MeasuredRequest[]> {
  // All checked before any load: a keep-alive socket left idle through a long load would be closed under a later check.
  const answers = await Promise.all(requests.map(answeredValues));
  const firstByUrl = new Map<string, { label: string; values: string }>();
  requests.forEach((request, i) => {
    const values = JSON.stringify(answers[i]?.values);
    const first = firstByUrl.get(request.url) ?? { label: request.label, values };
    firstByUrl.set(request.url, first);
    if (values !== first.values) throw new Error(`${request.label} answers other values than ${first.label}`);
  });
  const load = (request: BenchRequest) => wrk(request, options.pid, options.seconds, options.connections);
  for (const request of requests) wrk(request, options.pid, 1, options.connections);
  const results = requests.map(() => [] as LoadResult[]);
  for (let round = 0; round < options.rounds; round++) requests.forEach((request, i) => results[i]?.push(load(request)));
  return requests.map((request, i) => {
    const runs = results[i] ?? [];
    return {
      label: request.label,
      requestBytes: request.body.length,
      responseBytes: answers[i]?.bytes ?? 0,
      rps: median(runs.map((r) => r.rps)),
      p50Ms: median(runs.map((r) => r.p50Ms)),
      cpuMsPerRequest: median(runs.map((r) => r.cpuMsPerRequest)),
      errors: runs.reduce((n, r) => n + r.non2xx, 0),
    };
  });
}

async function main(): Promise<void> {
  const env = (name: string, fallback: string) => process.env[name] ?? fallback;
  const options = { rounds: Number(env('ROUNDS', '3')), seconds: Number(env('SECONDS', '4')), connections: Number(env('CONNECTIONS', '4')) };
  const rows = Number(env('ROWS', '1000'));
  const models = env('MODELS', 'diabetes,digits').split(',');
  // info: the port comes from the `listening` line, and every request is logged as in production.
  const server = await serveStore(join(root, 'test-fixtures/models'), { env: { LOG_LEVEL: 'info', MAX_INSTANCES: String(Math.max(rows, 10_000)) } });
  try {
    console.log(`rows=${rows} rounds=${options.rounds} seconds=${options.seconds} connections=${options.connections} node=${process.version} load=wrk`);
    const pairs = models.map((model) => binaryScenarioRequests(server.baseUrl, model, rows));
    const measured = await measureRequests(pairs.flatMap(({ json, binary }) => [json, binary]), { ...options, pid: server.pid });
    for (const r of measured) {
      console.log(
        `${r.label.padEnd(16)} request ${(r.requestBytes / 1024).toFixed(0).padStart(5)} KiB, answer ${(r.responseBytes / 1024).toFixed(1).padStart(6)} KiB: ` +
          `${(r.rps * rows).toFixed(0).padStart(7)} rows/s (${r.rps.toFixed(0)} req/s), p50 ${r.p50Ms.toFixed(2)} ms, ` +
          `server CPU ${r.cpuMsPerRequest.toFixed(2)} ms/request${r.errors ? `, ${r.errors} errors` : ''}`,
      );
    }
    models.forEach((model, i) => {
      const [asJson, asBinary] = [measured[2 * i], measured[2 * i + 1]];
      if (!asJson || !asBinary) return;
      const ratio = (a: number, b: number) => (a / b).toFixed(2);
      console.log(`${model}: binary/JSON rows/s ${ratio(asBinary.rps, asJson.rps)}x, server CPU per request ${ratio(asBinary.cpuMsPerRequest, asJson.cpuMsPerRequest)}x`);
    });
  } finally {
    await server.stop();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
