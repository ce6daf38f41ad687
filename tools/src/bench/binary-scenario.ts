// JSON vs binary tensors (Triton's binary data extension) on V2 infer, 1,000-row batches: the same rows to the same
// server, once as JSON `data` with JSON outputs, once as raw little-endian bytes after a JSON header with binary
// outputs (what tritonclient sends by default). Interleaved rounds, medians of rows/s, p50 and the server's CPU
// time per request (read from /proc, so a noisy machine skews it less than throughput).
// Run by hand: npx tsx tools/src/bench/binary-scenario.ts   Options (env): ROUNDS (3), SECONDS (4), CONNECTIONS (4),
// ROWS (1000), MODELS (diabetes,digits). The load comes from wrk (`apt-get install -y wrk`).
// Another harness calls binaryScenarioRequests() and measureRequests() with a server of its own.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { serveStore } from '../serve-store';
import { median, treeCpuMs, workspaceRoot, wrk } from './harness';

const root = workspaceRoot;

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

interface LoadResult {
  rps: number;
  p50Ms: number;
  non2xx: number;
  /** The server's user + system CPU time per answered request. */
  cpuMsPerRequest: number;
}

const scratch = mkdtempSync(join(tmpdir(), 'binary-scenario-'));

/** One wrk run of the request, with the server's CPU time (its whole process tree) over it. */
function load(request: BenchRequest, pid: number, seconds: number, connections: number): LoadResult {
  const before = treeCpuMs(pid);
  const result = wrk(request.url, { body: request.body, headers: request.headers, connections, seconds, scratch, threads: 1, timeoutSeconds: 30 });
  const cpu = treeCpuMs(pid) - before;
  return {
    rps: result.rps,
    p50Ms: result.p50Ms,
    non2xx: result.failures,
    cpuMsPerRequest: result.requests > 0 ? cpu / result.requests : Number.NaN,
  };
}

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
  for (const request of requests) load(request, options.pid, 1, options.connections);
  const results = requests.map(() => [] as LoadResult[]);
  for (let round = 0; round < options.rounds; round++) {
    requests.forEach((request, i) => results[i]?.push(load(request, options.pid, options.seconds, options.connections)));
  }
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
