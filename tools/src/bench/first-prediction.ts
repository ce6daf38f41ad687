// Start → first prediction: spawns the server bundle, posts one diabetes prediction every 2 ms until it gets a 200,
// and reports the median over several runs of the wall time and of the CPU the server used until then (its whole
// process tree, cluster workers included, from /proc: steadier than wall time on a shared machine). Also when it
// said 'listening' and 'models loaded: ready' (from its log lines' own `time`; with workers, the first worker's).
// Each run starts every entry with every worker count in turn, so all of them see the same machine.
//   npx tsx tools/src/bench/first-prediction.ts            (bundles the server first)
// Options (env): RUNS (7), WORKERS (WEB_CONCURRENCY values, default 1,2), ENTRY (default
// dist/bundles/server/main.js; a comma-separated list compares bundles, e.g. an older build copied aside),
// MODEL_DIR (default services/examples/models: the four examples), NO_BUILD=1, NODE_ARGS (e.g. --cpu-prof
// --cpu-prof-dir=/tmp/p).
import { execFileSync, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { median, sleep, treeCpuMs, workspaceRoot } from './harness';
import { diabetesBody } from './scenarios/scenario';

const env = process.env;
const runs = Number(env['RUNS'] ?? 7);
const entries = (env['ENTRY'] ?? `${workspaceRoot}dist/bundles/server/main.js`).split(',');
const workerCounts = (env['WORKERS'] ?? '1,2').split(',').map(Number);
const modelDir = env['MODEL_DIR'] ?? `${workspaceRoot}services/examples/models`;

interface Run {
  wallMs: number;
  cpuMs: number;
  listeningMs: number;
  loadedMs: number;
}

async function once(entry: string, workers: number, port: number): Promise<Run> {
  const body = diabetesBody(1);
  const spawnedAt = Date.now();
  const started = performance.now();
  const child = spawn(process.execPath, [...(env['NODE_ARGS']?.split(' ').filter(Boolean) ?? []), entry], {
    cwd: workspaceRoot,
    env: {
      ...process.env,
      PORT: String(port),
      GRPC_PORT: '0',
      HOST: '127.0.0.1',
      MODEL_DIR: modelDir,
      LOG_LEVEL: 'info',
      WEB_CONCURRENCY: String(workers),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const logged = new Map<string, number>();
  createInterface({ input: child.stdout }).on('line', (line) => {
    const { msg, time } = JSON.parse(line) as { msg?: string; time?: number };
    if (msg && time !== undefined && !logged.has(msg)) logged.set(msg, time - spawnedAt);
  });
  let exited = false;
  child.once('exit', () => (exited = true));
  for (;;) {
    if (exited) throw new Error(`${entry} exited before it answered a prediction`);
    const status = await fetch(`http://127.0.0.1:${port}/v1/models/diabetes/predict`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    }).then((r) => r.status, () => 0);
    if (status === 200) break;
    await sleep(2);
  }
  const run = { wallMs: performance.now() - started, cpuMs: treeCpuMs(child.pid ?? 0) };
  const gone = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM'); // flushes its log lines
  await gone;
  return { ...run, listeningMs: logged.get('listening') ?? Number.NaN, loadedMs: logged.get('models loaded: ready') ?? Number.NaN };
}

if (env['NO_BUILD'] !== '1' && env['ENTRY'] === undefined) {
  execFileSync(process.execPath, [`${workspaceRoot}node_modules/tsx/dist/cli.mjs`, 'deploy/build/bundle.ts', 'server'], { cwd: workspaceRoot, stdio: 'inherit' });
}
const cases = entries.flatMap((entry) => workerCounts.map((workers) => ({ entry, workers, results: [] as Run[] })));
let port = 18_700;
for (let i = 0; i < runs; i++) {
  for (const c of cases) c.results.push(await once(c.entry, c.workers, port++));
}
console.log(`start → first prediction, ${runs} runs each over ${modelDir}`);
for (const { entry, workers, results } of cases) {
  const line = (key: keyof Run) => `${key} median ${median(results.map((r) => r[key])).toFixed(0)} ms (${results.map((r) => r[key].toFixed(0)).join(', ')})`;
  console.log(`${entry}, WEB_CONCURRENCY=${workers}`);
  for (const key of ['wallMs', 'cpuMs', 'listeningMs', 'loadedMs'] as const) console.log(`  ${line(key)}`);
}
