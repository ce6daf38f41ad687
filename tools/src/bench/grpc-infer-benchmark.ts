// gRPC ModelInfer against REST V2 JSON infer on the same server, 1-row and 1,000-row diabetes requests, in one
// interleaved run. Run by hand: npx tsx tools/src/bench/grpc-infer-benchmark.ts
// The server is the server image's own bundle (deploy/build/bundle.ts, its .proto files beside it) on
// plain node with the fixture store. Each scenario keeps CONCURRENCY calls in flight for SECONDS, from this process:
// gRPC over one grpc-js channel (one HTTP/2 connection, as a client would hold it), REST over fetch's keep-alive pool.
// The client shares the machine with the server, so compare the scenarios within one run, not with other machines.
// Options (env): ROUNDS (3), SECONDS (3 per scenario and round), CONCURRENCY (16).
// Its own entry point beside serve-benchmark.ts, on the same harness (harness.ts).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { credentials, loadPackageDefinition, type Client, type ServiceError } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { loggedPort, median, type Server, sleep, startServer, workspaceRoot } from './harness';

const rounds = Number(process.env['ROUNDS'] ?? 3);
const seconds = Number(process.env['SECONDS'] ?? 3);
const concurrency = Number(process.env['CONCURRENCY'] ?? 16);
const protoDir = `${workspaceRoot}apps/prediction-api/src/grpc/proto/`;

const golden = JSON.parse(readFileSync(`${workspaceRoot}test-fixtures/golden/diabetes-rf.golden.json`, 'utf8')) as { rows: number[][] };
const rowsOf = (n: number) => Array.from({ length: n }, (_, i) => golden.rows[i % golden.rows.length] ?? []).flat();

/** The bundle's server on free ports, once it is ready, with its gRPC port (from its log). */
async function startBundleServer(): Promise<{ server: Server; grpcPort: number }> {
  execFileSync(process.execPath, [`${workspaceRoot}node_modules/tsx/dist/cli.mjs`, 'deploy/build/bundle.ts', 'server'], { cwd: workspaceRoot, stdio: 'inherit' });
  const server = await startServer({
    name: 'server',
    args: [`${workspaceRoot}dist/bundles/server/main.js`],
    env: { MODEL_DIR: `${workspaceRoot}test-fixtures/models`, GOLDEN_CHECK: 'off' },
    ready: { path: '/ready' },
    logDir: mkdtempSync(join(tmpdir(), 'grpc-bench-')),
  });
  for (let i = 0; i < 100; i++) {
    const grpcPort = loggedPort(server.logFile, 'gRPC listening');
    if (grpcPort !== undefined) return { server, grpcPort };
    await sleep(100);
  }
  await server.stop();
  throw new Error(`the server never logged "gRPC listening": see ${server.logFile}`);
}

type Call = () => Promise<void>;

function grpcInfer(grpcPort: number): (rows: number, raw: boolean) => Call {
  const definition = loadPackageDefinition(
    loadSync('grpc_predict_v2.proto', { keepCase: true, longs: String, enums: String, defaults: true, oneofs: true, includeDirs: [protoDir] }),
  ) as unknown as { inference: { GRPCInferenceService: new (address: string, creds: ReturnType<typeof credentials.createInsecure>) => Client } };
  const client = new definition.inference.GRPCInferenceService(`127.0.0.1:${grpcPort}`, credentials.createInsecure()) as Client & {
    ModelInfer(request: unknown, callback: (err: ServiceError | null) => void): void;
  };
  return (rows, raw) => {
    const values = rowsOf(rows);
    const input = { name: 'X', datatype: 'FP32', shape: [rows, 10] };
    const request = raw
      ? { model_name: 'diabetes', inputs: [input], raw_input_contents: [Buffer.from(Float32Array.from(values).buffer)] }
      : { model_name: 'diabetes', inputs: [{ ...input, contents: { fp32_contents: values } }] };
    return () => new Promise<void>((resolve, reject) => client.ModelInfer(request, (err) => (err ? reject(err) : resolve())));
  };
}

function restInfer(base: string): (rows: number) => Call {
  return (rows) => {
    const body = JSON.stringify({ inputs: [{ name: 'X', shape: [rows, 10], datatype: 'FP32', data: rowsOf(rows) }] });
    return async () => {
      const res = await fetch(`${base}/v2/models/diabetes/infer`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      if (!res.ok) throw new Error(`REST infer answered ${res.status}: ${await res.text()}`);
      await res.arrayBuffer();
    };
  };
}

interface Measured {
  perSecond: number;
  p50Ms: number;
}

/** `concurrency` loops of `call` for `seconds`: calls answered per second and the median latency. */
async function measure(call: Call): Promise<Measured> {
  const latencies: number[] = [];
  const until = performance.now() + seconds * 1000;
  const loop = async () => {
    while (performance.now() < until) {
      const started = performance.now();
      await call();
      latencies.push(performance.now() - started);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, loop));
  return { perSecond: latencies.length / seconds, p50Ms: median(latencies) };
}

async function main(): Promise<void> {
  const { server, grpcPort } = await startBundleServer();
  try {
    const grpc = grpcInfer(grpcPort);
    const rest = restInfer(server.base);
    const scenarios: [string, Call][] = [1, 1000].flatMap((rows): [string, Call][] => [
      [`${rows} row${rows === 1 ? '' : 's'}, REST V2 JSON`, rest(rows)],
      [`${rows} row${rows === 1 ? '' : 's'}, gRPC typed contents`, grpc(rows, false)],
      [`${rows} row${rows === 1 ? '' : 's'}, gRPC raw_input_contents`, grpc(rows, true)],
    ]);
    for (const [, call] of scenarios) await call(); // connections open, code warm
    const results = scenarios.map(([name, call]) => ({ name, call, rounds: [] as Measured[] }));
    for (let round = 1; round <= rounds; round++) {
      for (const { name, call, rounds: measuredRounds } of results) {
        const measured = await measure(call);
        measuredRounds.push(measured);
        console.log(`round ${round}: ${name}: ${measured.perSecond.toFixed(0)}/s, p50 ${measured.p50Ms.toFixed(2)} ms`);
      }
    }
    console.log(`\nmedians of ${rounds} rounds of ${seconds} s, ${concurrency} calls in flight:`);
    console.log('| request | calls/s | p50 |\n|---|---|---|');
    for (const { name, rounds: measured } of results) {
      console.log(`| ${name} | ${median(measured.map((m) => m.perSecond)).toFixed(0)} | ${median(measured.map((m) => m.p50Ms)).toFixed(2)} ms |`);
    }
  } finally {
    await server.stop();
  }
}

await main();
