// Throughput of the project's full server against a minimal Hono + onnxruntime-node baseline, in one run,
// with raw in-process inference as the floor. Run by hand: npx tsx tools/src/bench/serve-benchmark.ts
// Both servers run as esbuild bundles on plain node, as the server image runs: the full server is bundled by the
// image build's own script, the baseline the same way, so neither pays for tsx's on-the-fly transforms.
// Options (env): ROUNDS (5), SECONDS (5 per round), CONNECTIONS (16).
// The load comes from wrk (`apt-get install -y wrk`) when it is installed: written in C, it leaves the server
// most of the second core. Without it, autocannon (JavaScript) is used, which takes about half a core itself on a
// 2-core machine and so understates both servers, the lean one most.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { build } from 'esbuild';
import * as ort from 'onnxruntime-node';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const rounds = Number(process.env['ROUNDS'] ?? 5);
const seconds = Number(process.env['SECONDS'] ?? 5);
const connections = Number(process.env['CONNECTIONS'] ?? 16);
const modelPath = `${root}test-fixtures/models/diabetes/1/model.onnx`;
const tsx = `${root}node_modules/tsx/dist/cli.mjs`;

const golden = JSON.parse(readFileSync(`${root}test-fixtures/golden/diabetes-rf.golden.json`, 'utf8')) as {
  features: string[];
  rows: number[][];
};
const rowsOf = (n: number) => Array.from({ length: n }, (_, i) => golden.rows[i % golden.rows.length] ?? []);
const named = (row: number[]) => Object.fromEntries(golden.features.map((f, i) => [f, row[i]]));

/**
 * Starts a server with its stdout in a file (as a container's log driver would take it: reading it line by line
 * here would spend this machine's second core on the benchmark, not on the server) and reads its port from there.
 */
async function startProcess(args: string[], env: Record<string, string>): Promise<{ child: ChildProcess; port: number }> {
  const logFile = join(scratch, `${args.at(-1) === '0' ? 'minimal' : 'full'}.log`);
  const out = openSync(logFile, 'w');
  const child = spawn(process.execPath, args, { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', out, 'inherit'] });
  let exited: number | null | undefined;
  child.once('exit', (code) => (exited = code));
  for (let i = 0; i < 300; i++) {
    const port = /"msg":"listening"[^\n]*"port":(\d+)|"port":(\d+)[^\n]*"msg":"listening"/.exec(readFileSync(logFile, 'utf8'));
    if (port) return { child, port: Number(port[1] ?? port[2]) };
    if (exited !== undefined) throw new Error(`${args.join(' ')} exited with ${exited}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${args.join(' ')} never said it was listening`);
}

async function waitReady(url: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const ok = await fetch(url).then((r) => r.ok, () => false);
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} never became ready`);
}

interface LoadResult {
  rps: number;
  p50: number;
  non2xx: number;
}

const hasWrk = (() => {
  try {
    execFileSync('wrk', ['--version'], { stdio: 'ignore' });
    return true;
  } catch (err) {
    // wrk --version exits 1 after printing its version: only a missing binary is ENOENT.
    return (err as NodeJS.ErrnoException).code !== 'ENOENT';
  }
})();
const scratch = mkdtempSync(join(tmpdir(), 'serve-benchmark-'));

function loadWithWrk(url: string, body: string): LoadResult {
  const script = join(scratch, 'post.lua');
  writeFileSync(script, `wrk.method = "POST"\nwrk.headers["content-type"] = "application/json"\nwrk.body = ${JSON.stringify(body)}\n`);
  const out = execFileSync('wrk', ['-t1', `-c${connections}`, `-d${seconds}s`, '--latency', '-s', script, url], { encoding: 'utf8' });
  const p50 = /^\s*50%\s+([\d.]+)(us|ms|s)$/m.exec(out);
  const scale = { us: 0.001, ms: 1, s: 1000 }[(p50?.[2] ?? 'ms') as 'us' | 'ms' | 's'];
  const failed = /Non-2xx or 3xx responses: (\d+)/.exec(out);
  return { rps: Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1]), p50: Number(p50?.[1]) * scale, non2xx: Number(failed?.[1] ?? 0) };
}

async function load(url: string, body: string): Promise<LoadResult> {
  if (hasWrk) return loadWithWrk(url, body);
  const result = await autocannon({ url, method: 'POST', connections, duration: seconds, headers: { 'content-type': 'application/json' }, body });
  return { rps: result.requests.average, p50: result.latency.p50, non2xx: result.non2xx + result.errors };
}

/** Throws unless both servers predict the same values for the body (the baseline must not do less work). */
async function sameValues(...targets: { url: string; body: string }[]): Promise<void> {
  const values = await Promise.all(
    targets.map(async ({ url, body }) => {
      const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      const { predictions } = (await response.json()) as { predictions: { value: number }[] };
      return JSON.stringify(predictions.map((p) => p.value));
    }),
  );
  if (new Set(values).size !== 1) throw new Error(`the servers disagree: ${values.join(' vs ')}`);
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

/** The server image's bundle (apps/prediction-api/build/bundle.ts), and the baseline bundled beside it. */
async function bundleServers(): Promise<{ full: string; minimal: string }> {
  execFileSync(process.execPath, [tsx, 'apps/prediction-api/build/bundle.ts', 'server'], { cwd: root, stdio: 'inherit' });
  // Inside the workspace, so the bundle resolves onnxruntime-node (native, never bundled) from node_modules.
  const minimalBundle = `${root}dist/bench/minimal-server.mjs`;
  await build({
    entryPoints: [`${root}tools/src/bench/minimal-server.ts`],
    outfile: minimalBundle,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external: ['onnxruntime-node'],
    logLevel: 'warning',
  });
  return { full: `${root}dist/bundles/server/main.js`, minimal: minimalBundle };
}

const bundles = await bundleServers();
const full = await startProcess([bundles.full], { PORT: '0', GRPC_PORT: 'off', HOST: '127.0.0.1', LOG_LEVEL: 'info', MODEL_DIR: `${root}models` });
const minimal = await startProcess([bundles.minimal, modelPath, '0'], {});
try {
  await waitReady(`http://127.0.0.1:${full.port}/ready`);
  // The same request body to both, and both must answer it alike: the ratio compares the same work.
  const cases = [1, 100].map((n) => {
    const body = JSON.stringify({ instances: rowsOf(n).map(named) });
    return {
      rows: n,
      full: { url: `http://127.0.0.1:${full.port}/v1/models/diabetes/predict`, body },
      minimal: { url: `http://127.0.0.1:${minimal.port}/predict`, body },
    };
  });
  for (const c of cases) await sameValues(c.full, c.minimal);
  console.log(`rounds=${rounds} seconds=${seconds} connections=${connections} node=${process.version} load=${hasWrk ? 'wrk' : 'autocannon'}`);
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
      `${String(c.rows).padStart(3)} row(s)/request: full ${fullRps.toFixed(0)} req/s (p50 ${median(results.full.map((r) => r.p50)).toFixed(2)} ms), ` +
        `minimal ${minimalRps.toFixed(0)} req/s (p50 ${median(results.minimal.map((r) => r.p50)).toFixed(2)} ms), ` +
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
