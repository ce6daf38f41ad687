// Start → first prediction: spawns the server bundle, posts one diabetes prediction every 2 ms until it gets a 200,
// and reports the median over several runs of the wall time and of the CPU the server used until then (all its
// threads, from /proc: steadier than wall time on a shared machine). Also when it said 'listening' and
// 'models loaded: ready' (from its log lines' own `time`).
//   npx tsx tools/src/bench/first-prediction.ts            (bundles the server first)
// Options (env): RUNS (7), ENTRY (default dist/bundles/server/main.js), MODEL_DIR (default
// services/examples/models: the four examples), NO_BUILD=1, NODE_ARGS (e.g. --cpu-prof --cpu-prof-dir=/tmp/p).
import { execFileSync, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { median, workspaceRoot } from './harness';
import { diabetesBody } from './scenarios/scenario';

const env = process.env;
const runs = Number(env['RUNS'] ?? 7);
const entry = env['ENTRY'] ?? `${workspaceRoot}dist/bundles/server/main.js`;
const modelDir = env['MODEL_DIR'] ?? `${workspaceRoot}services/examples/models`;

/** CPU ms of every thread of the process, from each task's schedstat (nanoseconds on CPU). */
function cpuMs(pid: number): number {
  let total = 0;
  for (const task of readdirSync(`/proc/${pid}/task`)) {
    try {
      total += Number(readFileSync(`/proc/${pid}/task/${task}/schedstat`, 'utf8').split(' ')[0]) / 1e6;
    } catch {
      // the thread ended
    }
  }
  return total;
}

interface Run {
  wallMs: number;
  cpuMs: number;
  listeningMs: number;
  loadedMs: number;
}

async function once(port: number): Promise<Run> {
  const body = diabetesBody(1);
  const spawnedAt = Date.now();
  const started = performance.now();
  const child = spawn(process.execPath, [...(env['NODE_ARGS']?.split(' ').filter(Boolean) ?? []), entry], {
    cwd: workspaceRoot,
    env: { ...process.env, PORT: String(port), GRPC_PORT: '0', HOST: '127.0.0.1', MODEL_DIR: modelDir, LOG_LEVEL: 'info' },
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
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  const run = { wallMs: performance.now() - started, cpuMs: cpuMs(child.pid ?? 0) };
  const gone = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM'); // flushes its log lines
  await gone;
  return { ...run, listeningMs: logged.get('listening') ?? Number.NaN, loadedMs: logged.get('models loaded: ready') ?? Number.NaN };
}

if (env['NO_BUILD'] !== '1' && env['ENTRY'] === undefined) {
  execFileSync(process.execPath, [`${workspaceRoot}node_modules/tsx/dist/cli.mjs`, 'deploy/build/bundle.ts', 'server'], { cwd: workspaceRoot, stdio: 'inherit' });
}
const results: Run[] = [];
for (let i = 0; i < runs; i++) results.push(await once(18_700 + i));
const line = (key: keyof Run) => `${key} median ${median(results.map((r) => r[key])).toFixed(0)} ms (${results.map((r) => r[key].toFixed(0)).join(', ')})`;
console.log(`start → first prediction, ${runs} runs of ${entry} over ${modelDir}`);
for (const key of ['wallMs', 'cpuMs', 'listeningMs', 'loadedMs'] as const) console.log(`  ${line(key)}`);
