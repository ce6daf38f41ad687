// The real server (apps/prediction-api's node entrypoint) started as a child process on a store folder, for a
// replay over HTTP. Tools may not import the app; they run it as `npm start` would.
import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { createPredictionClient } from '@onnx-serve/api-contract';

const workspaceRoot = fileURLToPath(new URL('../../', import.meta.url));
const tsxCli = join(workspaceRoot, 'node_modules/tsx/dist/cli.mjs');

export interface ServedStore {
  baseUrl: string;
  /** The server process, for a benchmark that reads its CPU time. */
  pid: number;
  /** SIGTERM, and the exit awaited (SIGKILL after 10 s). */
  stop(): Promise<void>;
}

export interface ServeOptions {
  /** Server settings over the defaults below (a test's API_KEYS). */
  env?: Record<string, string>;
  timeoutMs?: number;
}

/** Resolves once /ready says ready; rejects with the server's own message when it exits before, or after `timeoutMs`. */
export async function serveStore(folder: string, { env = {}, timeoutMs = 120_000 }: ServeOptions = {}): Promise<ServedStore> {
  const child = spawn(process.execPath, [tsxCli, '--tsconfig', 'tsconfig.base.json', 'apps/prediction-api/src/main.ts'], {
    cwd: workspaceRoot,
    env: {
      ...process.env,
      MODEL_DIR: resolve(folder),
      // This folder, open, unlimited, on a free local port; the replay itself is the golden check.
      MODEL_S3_URI: '',
      PORT: '0',
      // The replay is over HTTP; no gRPC port to take (or to collide on).
      GRPC_PORT: 'off',
      HOST: '127.0.0.1',
      API_KEYS: '',
      RATE_LIMIT_PER_MINUTE: '0',
      GOLDEN_CHECK: 'off',
      // info, not warn: the port comes from the `listening` line.
      LOG_LEVEL: 'info',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(killer);
  };
  const port = new Promise<number>((found) => {
    // Every line is read (a full pipe would stall the server); only `listening` matters.
    createInterface({ input: child.stdout }).on('line', (text) => {
      if (!text.startsWith('{')) return;
      const line = JSON.parse(text) as { msg?: string; port?: number };
      if (line.msg === 'listening' && line.port !== undefined) found(line.port);
    });
  });
  const failedStart = exited.then((code) => {
    throw new Error(`the server on ${folder} did not start (exit ${code}):\n${stderr.trimEnd()}`);
  });
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`the server on ${folder} was not ready after ${timeoutMs / 1000} s`)), timeoutMs);
  });
  let waiting = true;
  const ready = (async () => {
    const baseUrl = `http://127.0.0.1:${await port}`;
    const client = createPredictionClient({ baseUrl });
    // A refused connection while it exits is not the failure to report: its exit and stderr are.
    const isReady = () => client.ready().then((body) => body.status === 'ready', () => false);
    while (waiting && !(await isReady())) await new Promise((wait) => setTimeout(wait, 100));
    return baseUrl;
  })();
  try {
    return { baseUrl: await Promise.race([ready, failedStart, timeout]), pid: child.pid ?? -1, stop };
  } catch (error) {
    await stop();
    throw error;
  } finally {
    waiting = false;
    clearTimeout(timer);
  }
}
