// Throughput of the project's full server against a minimal Hono + onnxruntime-node baseline, in one run,
// with raw in-process inference as the floor. Run by hand: npx tsx tools/src/bench/serve-benchmark.ts
// Options (env): ROUNDS (5), SECONDS (5 per round), CONNECTIONS (16).
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import * as ort from 'onnxruntime-node';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const rounds = Number(process.env['ROUNDS'] ?? 5);
const seconds = Number(process.env['SECONDS'] ?? 5);
const connections = Number(process.env['CONNECTIONS'] ?? 16);
const modelPath = `${root}models/diabetes/1/model.onnx`;
const tsx = `${root}node_modules/tsx/dist/cli.mjs`;

const golden = JSON.parse(readFileSync(`${root}test-fixtures/golden/diabetes-rf.golden.json`, 'utf8')) as {
  features: string[];
  rows: number[][];
};
const rowsOf = (n: number) => Array.from({ length: n }, (_, i) => golden.rows[i % golden.rows.length] ?? []);
const named = (row: number[]) => Object.fromEntries(golden.features.map((f, i) => [f, row[i]]));

async function startProcess(args: string[], env: Record<string, string>): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, args, { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${args.join(' ')} exited with ${code}`)));
    lines.on('line', (text) => {
      const line = JSON.parse(text) as { msg?: string; port?: number };
      if (line.msg === 'listening' && line.port) resolve(line.port);
    });
  });
  lines.removeAllListeners('line');
  lines.on('line', () => undefined); // keep draining the request log so the server never blocks on stdout
  return { child, port };
}

async function waitReady(url: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const ok = await fetch(url).then((r) => r.ok, () => false);
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} never became ready`);
}

async function load(url: string, body: string): Promise<{ rps: number; p50: number; non2xx: number }> {
  const result = await autocannon({ url, method: 'POST', connections, duration: seconds, headers: { 'content-type': 'application/json' }, body });
  return { rps: result.requests.average, p50: result.latency.p50, non2xx: result.non2xx + result.errors };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

async function rawInferenceFloor(rows: number): Promise<number> {
  const session = await ort.InferenceSession.create(modelPath, { intraOpNumThreads: 1 });
  const data = new Float32Array(rowsOf(rows).flat());
  const feeds = { X: new ort.Tensor('float32', data, [rows, 10]) };
  const times: number[] = [];
  for (let i = 0; i < 2000; i++) {
    const t = performance.now();
    await session.run(feeds);
    times.push(performance.now() - t);
  }
  await session.release();
  return median(times.slice(200));
}

const full = await startProcess([tsx, '--tsconfig', 'tsconfig.base.json', 'apps/prediction-api/src/main.ts'], { PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info' });
const minimal = await startProcess([tsx, 'tools/src/bench/minimal-server.ts', modelPath, '0'], {});
try {
  await waitReady(`http://127.0.0.1:${full.port}/ready`);
  const cases = [1, 100].map((n) => ({
    rows: n,
    full: { url: `http://127.0.0.1:${full.port}/v1/models/diabetes/predict`, body: JSON.stringify({ instances: rowsOf(n).map(named) }) },
    minimal: { url: `http://127.0.0.1:${minimal.port}/predict`, body: JSON.stringify({ instances: rowsOf(n) }) },
  }));
  console.log(`rounds=${rounds} seconds=${seconds} connections=${connections} node=${process.version}`);
  for (const c of cases) {
    await load(c.full.url, c.full.body); // warm-up
    await load(c.minimal.url, c.minimal.body);
    const results = { full: [] as Awaited<ReturnType<typeof load>>[], minimal: [] as Awaited<ReturnType<typeof load>>[] };
    for (let r = 0; r < rounds; r++) {
      results.full.push(await load(c.full.url, c.full.body));
      results.minimal.push(await load(c.minimal.url, c.minimal.body));
    }
    const errors = [...results.full, ...results.minimal].reduce((n, r) => n + r.non2xx, 0);
    const fullRps = median(results.full.map((r) => r.rps));
    const minimalRps = median(results.minimal.map((r) => r.rps));
    console.log(
      `${String(c.rows).padStart(3)} row(s)/request: full ${fullRps.toFixed(0)} req/s (p50 ${median(results.full.map((r) => r.p50))} ms), ` +
        `minimal ${minimalRps.toFixed(0)} req/s (p50 ${median(results.minimal.map((r) => r.p50))} ms), ` +
        `ratio ${(fullRps / minimalRps).toFixed(2)}x${errors ? `, ${errors} errors/non-2xx` : ''}`,
    );
  }
  for (const rows of [1, 100]) {
    console.log(`floor: raw session.run, ${rows} row(s): median ${(await rawInferenceFloor(rows)).toFixed(3)} ms`);
  }
} finally {
  full.child.kill('SIGTERM');
  minimal.child.kill('SIGTERM');
}
