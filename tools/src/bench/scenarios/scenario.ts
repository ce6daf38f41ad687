// The shape of a benchmark scenario group (one file each under scenarios/, listed in scenarios/index.ts): it
// starts what it needs, then offers cases; the runner runs every case of every group once per round, interleaved,
// and reports each metric's median over the rounds, and the ratios a group names.
import { readFileSync } from 'node:fs';
import { type Server, startServer, workspaceRoot, wrk } from '../harness';

export interface BenchContext {
  rounds: number;
  /** Length of one measurement of a case. */
  seconds: number;
  /** wrk connections for the closed-loop cases. */
  connections: number;
  /** WEB_CONCURRENCY for the "N workers" full server. */
  workers: number;
  scratch: string;
  logDir: string;
  /** The staged server image folder (`node .` in it starts the full server). */
  stagedServer: string;
  /** Bundles of the baselines (minimal-server.ts, hello-server.ts). */
  minimalBundle: string;
  helloBundle: string;
}

/** One round's figures of a case: req/s, latency percentiles (ms), CPU per request (ms), failures… */
export type Figures = Record<string, number>;

export interface Case {
  /** Unique over all groups: "<group>: <what>". */
  name: string;
  run(): Promise<Figures>;
}

export interface Ratio {
  label: string;
  of: [caseName: string, figure: string];
  to: [caseName: string, figure: string];
}

export interface ScenarioSetup {
  cases: Case[];
  ratios?: Ratio[];
  teardown(): Promise<void>;
}

export interface ScenarioGroup {
  name: string;
  description: string;
  setup(ctx: BenchContext): Promise<ScenarioSetup>;
}

const { features, rows } = JSON.parse(readFileSync(`${workspaceRoot}test-fixtures/golden/diabetes-rf.golden.json`, 'utf8')) as {
  features: string[];
  rows: number[][];
};

/** A v1 request body of `n` named diabetes instances (golden rows, repeated). */
export function diabetesBody(n: number): string {
  const instance = (i: number) => Object.fromEntries(features.map((f, j) => [f, rows[i % rows.length]?.[j]]));
  return JSON.stringify({ instances: Array.from({ length: n }, (_, i) => instance(i)) });
}

/** The full server from the staged image folder, as production runs it (`node .`, logging to a file). */
export function startFullServer(ctx: Pick<BenchContext, 'stagedServer' | 'logDir'>, name: string, env: Record<string, string> = {}): Promise<Server> {
  return startServer({
    name,
    args: ['.'],
    cwd: ctx.stagedServer,
    env: { LOG_LEVEL: 'info', MODEL_DIR: `${ctx.stagedServer}/models`, ...env },
    ready: { path: '/ready' },
    logDir: ctx.logDir,
  });
}

/** A closed-loop wrk case against one server: throughput, latency, CPU per request and rows a second. */
export function wrkCase(ctx: BenchContext, name: string, server: Server, path: string, body?: { text: string; rows: number }, connections = ctx.connections): Case {
  return {
    name,
    async run() {
      const cpu = server.cpuMs();
      const load = wrk(server.base + path, { body: body?.text, connections, seconds: ctx.seconds, scratch: ctx.scratch });
      const cpuMs = server.cpuMs() - cpu;
      return {
        rps: load.rps,
        rowsPerSecond: load.rps * (body?.rows ?? 1),
        p50Ms: load.p50Ms,
        p99Ms: load.p99Ms,
        cpuMsPerRequest: load.requests > 0 ? cpuMs / load.requests : Number.NaN,
        failures: load.failures,
      };
    },
  };
}
