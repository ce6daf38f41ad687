// The real node entrypoint as a process: config from the environment, ready once the models load, and a
// SIGTERM that stops accepting but lets the request in flight finish before exiting 0. These run it as one process
// (WEB_CONCURRENCY=1) from source under tsx; workers.test.ts runs its bundle with workers, and `npm start` below its
// default (a worker per CPU) under tsx.
import { spawn, type ChildProcess } from 'node:child_process';
import { request } from 'node:http';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { goldenStore, removeGoldenStores } from '@onnx-serve/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { workspaceRoot } from './test-server';

const tsxCli = join(workspaceRoot, 'node_modules/tsx/dist/cli.mjs');
let child: ChildProcess | undefined;
afterEach(() => {
  child?.kill('SIGKILL');
  child = undefined;
  removeGoldenStores();
});

function startEntrypoint(env: Record<string, string>) {
  const proc = spawn(process.execPath, [tsxCli, '--tsconfig', 'tsconfig.base.json', 'apps/prediction-api/src/main.ts'], {
    cwd: workspaceRoot,
    env: { ...process.env, PORT: '0', GRPC_PORT: '0', HOST: '127.0.0.1', MODEL_DIR: 'test-fixtures/models', WEB_CONCURRENCY: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child = proc;
  let stderr = '';
  proc.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const lines: Record<string, unknown>[] = [];
  const waiters: { match: (l: Record<string, unknown>) => boolean; resolve: (l: Record<string, unknown>) => void }[] = [];
  createInterface({ input: proc.stdout! }).on('line', (text) => {
    const line = JSON.parse(text) as Record<string, unknown>;
    lines.push(line);
    for (const w of waiters.filter((w) => w.match(line))) w.resolve(line);
  });
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
  const logged = (msg: string) =>
    new Promise<Record<string, unknown>>((resolve) => {
      const found = lines.find((l) => l['msg'] === msg);
      if (found) resolve(found);
      else waiters.push({ match: (l) => l['msg'] === msg, resolve });
    });
  return { proc, lines, exited, logged, stderr: () => stderr };
}

describe('node entrypoint', () => {
  it('answers /health at once, /ready after loading, and refuses a bad config with exit 1', async () => {
    const bad = startEntrypoint({ PORT: 'eighty' });
    expect(await bad.exited).toBe(1);

    const app = startEntrypoint({});
    const { port } = (await app.logged('listening')) as { port: number };
    expect((await fetch(`http://127.0.0.1:${port}/health`)).status).toBe(200);
    const loaded = await app.logged('models loaded: ready');
    expect((loaded['models'] as { name: string }[]).map((m) => m.name)).toEqual([
      'cars-lgbm',
      'diabetes',
      'digits',
      'disaster-tweets',
      'iris',
      'loans-mixed',
      'sentiment',
      'wine',
    ]);
    expect((await fetch(`http://127.0.0.1:${port}/ready`)).status).toBe(200);
    app.proc.kill('SIGTERM');
    expect(await app.exited).toBe(0);
  });

  it('on SIGTERM finishes the request in flight, refuses new connections, then exits 0', async () => {
    const app = startEntrypoint({});
    const { port } = (await app.logged('listening')) as { port: number };
    await app.logged('models loaded: ready');

    const body = JSON.stringify({ instances: [{ sepal_length: 5.1, sepal_width: 3.5, petal_length: 1.4, petal_width: 0.2 }] });
    const inFlight = new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(
        { host: '127.0.0.1', port, path: '/v1/models/iris/predict', method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
        (res) => {
          let text = '';
          res.on('data', (chunk) => (text += chunk));
          res.on('end', () => resolve({ status: res.statusCode!, body: text }));
        },
      );
      req.on('error', reject);
      // Send half the body, signal the server while the request is open, then finish it.
      req.write(body.slice(0, 10));
      setTimeout(() => {
        app.proc.kill('SIGTERM');
        setTimeout(() => req.end(body.slice(10)), 300);
      }, 300);
    });

    await app.logged('shutting down: draining in-flight requests');
    await expect(fetch(`http://127.0.0.1:${port}/health`)).rejects.toThrow();
    const answered = await inFlight;
    expect(answered.status).toBe(200);
    expect(JSON.parse(answered.body).predictions[0].label).toBe('setosa');
    expect(await app.exited).toBe(0);
  });

  it('runs under `npm start` as its own process: two at once each serve, and a failed start is npm start\'s exit code', async () => {
    const npmStart = (env: Record<string, string>) => {
      const outer = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(npm_|nx_)/i.test(name)));
      // detached: its own process group (npm, sh, tsx, node), signalled as one below.
      const proc = spawn('npm', ['start', '--silent'], {
        cwd: workspaceRoot,
        // GRPC_PORT=0: two servers at once cannot both take the default 8081.
        env: { ...outer, HOST: '127.0.0.1', GRPC_PORT: '0', ...env },
        stdio: ['ignore', 'pipe', 'ignore'],
        detached: true,
      });
      const listening = new Promise<number>((resolve) => {
        createInterface({ input: proc.stdout! }).on('line', (text) => {
          const line = text.startsWith('{') ? (JSON.parse(text) as Record<string, unknown>) : {};
          if (line['msg'] === 'listening') resolve(line['port'] as number);
        });
      });
      const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
      return { proc, listening, exited };
    };
    expect(await npmStart({ PORT: 'eighty' }).exited).toBe(1);

    const [first, second] = [npmStart({ PORT: '0', MODEL_DIR: 'test-fixtures/models' }), npmStart({ PORT: '0', MODEL_DIR: 'test-fixtures/models' })];
    try {
      const ports = await Promise.all([first.listening, second.listening]);
      expect(new Set(ports).size).toBe(2);
      for (const port of ports) expect((await fetch(`http://127.0.0.1:${port}/health`)).status).toBe(200);
    } finally {
      for (const { proc } of [first, second]) process.kill(-proc.pid!, 'SIGTERM');
    }
    await Promise.all([first.exited, second.exited]);
  });

  it('exits 1 when models fail, naming every one in a readable message on stderr besides the JSON line', async () => {
    const dir = goldenStore(
      { digits: 'digits-torch', iris: 'iris-gb-zipmap', wine: 'wine-xgb' },
      { iris: (json) => json.rows[0].pop(), wine: (json) => (json.expected.label[0] = 2) },
    );
    const app = startEntrypoint({ MODEL_DIR: dir });
    expect(await app.exited).toBe(1);
    const [jsonLine, ...readable] = app.stderr().trimEnd().split('\n');
    expect(JSON.parse(jsonLine!)).toMatchObject({ level: 'fatal', msg: 'startup failed' });
    expect(readable.slice(0, 4)).toEqual([
      'onnx-serve cannot start:',
      '  2 models of the store cannot be served:',
      `  - model iris:1 (${join(dir, 'iris/1/model.onnx')}): its golden file is refused: ${join(dir, 'iris/1/golden.json')}: rows[0]: 3 values, features has 4`,
      `  - model wine:1 (${join(dir, 'wine/1/model.onnx')}): its golden rows fail:`,
    ]);
    expect(readable).toContain('          row 0: expected 2 ("class_2"), got 0 ("class_0")');
  });

  it('with GOLDEN_CHECK=warn serves a failing model and logs a warning naming what failed', async () => {
    const dir = goldenStore({ wine: 'wine-xgb' }, { wine: (json) => (json.expected.label[0] = 2) });
    const app = startEntrypoint({ MODEL_DIR: dir, GOLDEN_CHECK: 'warn' });
    const warning = await app.logged('golden rows fail: served anyway (GOLDEN_CHECK=warn)');
    expect(warning).toMatchObject({ level: 'warn', model: 'wine', version: '1', failed: ['label', 'label (served)'], problems: [] });
    await app.logged('models loaded: ready');
    app.proc.kill('SIGTERM');
    expect(await app.exited).toBe(0);
  });
});
