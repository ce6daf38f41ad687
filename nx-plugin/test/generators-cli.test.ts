// Both generators through the real `nx` CLI in a temporary copy of the workspace, then the new service's serve
// target answering a prediction over HTTP with the new model (a PyTorch export with its weights in a second file).
import { type ChildProcess, spawn } from 'node:child_process';
import { readFile, readdir } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanEnv, copyWorkspace, type WorkspaceCopy, workspaceRoot } from './workspace-copy';

let ws: WorkspaceCopy;
let server: ChildProcess | undefined;
const golden = join(workspaceRoot, 'test-fixtures/golden/digits-torch.golden.json');

beforeAll(async () => {
  ws = await copyWorkspace();
}, 60_000);
afterAll(async () => {
  // SIGTERM to the whole group (nx, and the server it started): nx passes it on; SIGKILL would orphan the server.
  if (server?.pid && server.exitCode === null) {
    const exited = new Promise((resolve) => server!.once('exit', resolve));
    process.kill(-server.pid, 'SIGTERM');
    await exited;
  }
  await ws?.remove();
}, 30_000);

const freePort = () =>
  new Promise<number>((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });

async function until<T>(attempt: () => Promise<T | undefined>, what: string, ms = 30_000): Promise<T> {
  for (const deadline = Date.now() + ms; Date.now() < deadline; await new Promise((r) => setTimeout(r, 250))) {
    const value = await attempt().catch(() => undefined);
    if (value !== undefined) return value;
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('the generators through nx', () => {
  it('refuse a model for an unknown service, writing nothing', { timeout: 60_000 }, async () => {
    const refused = ws.nx('g', '@onnx-serve/plugin:model', 'digits', '--service=nope', '--onnx=test-fixtures/models/digits/1/model.onnx');
    expect(refused.status).toBe(1);
    expect(refused.stdout + refused.stderr).toContain('--service=nope: no such service (no services/nope/service.json');
    expect(await readdir(join(ws.root, 'services'))).toEqual(['examples']);
  });

  it('add a service and a model to it, which its serve target then serves', async () => {
    const service = ws.nx('g', '@onnx-serve/plugin:service', 'digits-team', '--owner=@acme/vision', '--target=server');
    expect(service.status, service.stderr).toBe(0);
    expect(await readFile(join(ws.root, '.github/CODEOWNERS'), 'utf8')).toContain('\n/services/digits-team/ @acme/vision\n');

    const model = ws.nx(
      'g', '@onnx-serve/plugin:model', 'digits', '--service=digits-team', '--onnx=test-fixtures/models/digits/1/model.onnx',
      `--golden=${golden}`, '--version=3',
    );
    expect(model.status, model.stderr).toBe(0);
    expect(model.stdout).toContain('Left to edit in services/digits-team/models/digits/3/spec.json:');
    expect((await readdir(join(ws.root, 'services/digits-team/models/digits/3'))).sort()).toEqual([
      'digits-torch.onnx.data', 'golden.json', 'model.onnx', 'spec.json',
    ]);

    const shown = ws.nx('show', 'project', 'digits-team', '--json');
    expect(shown.status, shown.stderr).toBe(0);
    const project = JSON.parse(shown.stdout) as { tags: string[]; targets: Record<string, unknown> };
    expect(project.tags).toEqual(['type:service', 'scope:acme/vision']);
    expect(Object.keys(project.targets).filter((name) => /-(lambda|server)$/.test(name)).sort()).toEqual(['image-server', 'push-server', 'stage-server']);

    const port = await freePort();
    server = spawn(process.execPath, [join(ws.root, 'node_modules/nx/dist/bin/nx.js'), 'run', 'digits-team:serve', '--outputStyle=stream'], {
      cwd: ws.root,
      env: cleanEnv({ PORT: String(port), GRPC_PORT: 'off', HOST: '127.0.0.1' }),
      stdio: 'ignore',
      detached: true,
    });
    const base = `http://127.0.0.1:${port}`;
    await until(async () => ((await fetch(`${base}/ready`)).ok ? true : undefined), 'the served model to be ready');

    const { features, rows, expected_argmax } = JSON.parse(await readFile(golden, 'utf8')) as {
      features: string[];
      rows: number[][];
      expected_argmax: { logits: number[] };
    };
    const instances = rows.slice(0, 3).map((row) => Object.fromEntries(features.map((name, i) => [name, row[i]])));
    const res = await fetch(`${base}/v1/models/digits/predict`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ instances }) });
    const body = (await res.json()) as { model: unknown; predictions: { label: string }[] };
    expect([res.status, body.model, body.predictions.map((p) => p.label)]).toEqual([
      200,
      { name: 'digits', version: '3' },
      expected_argmax.logits.slice(0, 3).map(String),
    ]);
  }, 120_000); // four nx processes and a server start: tens of seconds on a loaded 2-core machine
});
