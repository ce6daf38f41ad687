// The project's benchmark, in one interleaved run: every case of every scenario group (scenarios/index.ts) once per
// round, round after round, so all see the same machine; then each figure's median over the rounds, and ratios.
// The full server is the staged server image folder run with `node .` (logging to a file, as in production), the
// baselines are bundled beside it. Run by hand, on a quiet machine:
//   npx tsx tools/src/bench/serve-benchmark.ts
// Options (env): ROUNDS (3), SECONDS (8 per measurement), CONNECTIONS (16), WORKERS (N for the "N workers" server;
// default os.availableParallelism()), SCENARIOS (comma-separated group names; default all), NO_BUILD=1 (use the
// bundle and staged folder already built).
// Needs wrk (`apt-get install -y wrk`): written in C, it leaves the server most of a core.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import * as ort from 'onnxruntime-node';
import { hasWrk, median, workspaceRoot } from './harness';
import { scenarioGroups } from './scenarios/index';
import type { BenchContext, Figures, ScenarioSetup } from './scenarios/scenario';

const env = process.env;
const tsx = `${workspaceRoot}node_modules/tsx/dist/cli.mjs`;

/** The server image's bundle and staged folder (examples service), and the baselines bundled beside it. */
async function buildServers(noBuild: boolean): Promise<{ stagedServer: string; minimalBundle: string; helloBundle: string }> {
  const stagedServer = `${workspaceRoot}dist/services/examples/server`;
  const bundles = { minimalBundle: `${workspaceRoot}dist/bench/minimal-server.mjs`, helloBundle: `${workspaceRoot}dist/bench/hello-server.mjs` };
  if (noBuild) return { stagedServer, ...bundles };
  const run = (script: string, ...args: string[]) => execFileSync(process.execPath, [tsx, script, ...args], { cwd: workspaceRoot, stdio: 'inherit' });
  run('deploy/build/bundle.ts', 'server');
  run('deploy/build/stage-image.ts', 'server', 'examples');
  // Inside the workspace, so the bundles resolve onnxruntime-node (native, never bundled) from node_modules.
  for (const [entry, outfile] of [['minimal-server.ts', bundles.minimalBundle], ['hello-server.ts', bundles.helloBundle]] as const) {
    await build({ entryPoints: [`${workspaceRoot}tools/src/bench/${entry}`], outfile, bundle: true, platform: 'node', format: 'esm', target: 'node20', external: ['onnxruntime-node'], logLevel: 'warning' });
  }
  return { stagedServer, ...bundles };
}

/** The floor: raw in-process session.run of the diabetes forest, median ms over warm runs. */
async function rawInferenceFloor(rows: number): Promise<number> {
  const session = await ort.InferenceSession.create(`${workspaceRoot}test-fixtures/models/diabetes/1/model.onnx`, { intraOpNumThreads: 1 });
  const feeds = { X: new ort.Tensor('float32', new Float32Array(rows * 10).fill(0.01), [rows, 10]) };
  const times: number[] = [];
  for (let i = 0; i < 2000; i++) {
    const started = performance.now();
    await session.run(feeds);
    times.push(performance.now() - started);
  }
  await session.release();
  return median(times.slice(200));
}

const format = (value: number) => (Number.isNaN(value) ? '–' : Math.abs(value) >= 100 ? value.toFixed(0) : Math.abs(value) >= 1 ? value.toFixed(2) : value.toFixed(4));

async function main(): Promise<void> {
  if (!hasWrk()) throw new Error('wrk is not installed: apt-get install -y wrk');
  const only = env['SCENARIOS']?.split(',').map((s) => s.trim()).filter(Boolean);
  const groups = scenarioGroups.filter((g) => !only || only.includes(g.name));
  if (only && groups.length !== only.length) {
    throw new Error(`SCENARIOS=${env['SCENARIOS']}: the groups are ${scenarioGroups.map((g) => g.name).join(', ')}`);
  }
  const scratch = mkdtempSync(join(tmpdir(), 'serve-benchmark-'));
  const logDir = join(scratch, 'logs');
  mkdirSync(logDir);
  const ctx: BenchContext = {
    rounds: Number(env['ROUNDS'] ?? 3),
    seconds: Number(env['SECONDS'] ?? 8),
    connections: Number(env['CONNECTIONS'] ?? 16),
    workers: Number(env['WORKERS'] ?? availableParallelism()),
    scratch,
    logDir,
    ...(await buildServers(env['NO_BUILD'] === '1')),
  };
  console.log(
    `rounds=${ctx.rounds} seconds=${ctx.seconds} connections=${ctx.connections} workers=${ctx.workers} node=${process.version} ` +
      `groups=${groups.map((g) => g.name).join(',')} logs=${logDir}`,
  );
  const setups: ScenarioSetup[] = [];
  try {
    for (const group of groups) setups.push(await group.setup(ctx));
    const cases = setups.flatMap((s) => s.cases);
    const results = new Map<string, Figures[]>(cases.map((c) => [c.name, []]));
    for (const c of cases) await c.run(); // warm-up round, not counted
    for (let round = 0; round < ctx.rounds; round++) {
      for (const c of cases) results.get(c.name)?.push(await c.run());
      console.log(`round ${round + 1}/${ctx.rounds} done`);
    }
    const medians = new Map<string, Figures>();
    for (const [name, rounds] of results) {
      const figures: Figures = {};
      for (const key of Object.keys(rounds[0] ?? {})) figures[key] = median(rounds.map((r) => r[key] ?? Number.NaN));
      medians.set(name, figures);
      console.log(`${name}\n  ${Object.entries(figures).map(([k, v]) => `${k} ${format(v)}`).join(', ')}`);
    }
    for (const ratio of setups.flatMap((s) => s.ratios ?? [])) {
      const of = medians.get(ratio.of[0])?.[ratio.of[1]] ?? Number.NaN;
      const to = medians.get(ratio.to[0])?.[ratio.to[1]] ?? Number.NaN;
      console.log(`ratio: ${ratio.label}: ${format(of / to)}x`);
    }
    if (groups.some((g) => g.name === 'servers')) {
      for (const rows of [1, 100]) console.log(`floor: raw session.run, ${rows} row(s): median ${(await rawInferenceFloor(rows)).toFixed(3)} ms`);
    }
  } finally {
    await Promise.all(setups.map((s) => s.teardown()));
  }
}

await main();
