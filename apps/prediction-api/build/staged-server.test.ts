// The staged server image folder, copied outside the workspace and started with `node .` (its package.json's
// main) and a bare environment: it holds only production dependencies and this architecture's onnxruntime
// binaries, resolves them from itself, gets ready, predicts like the server built from source, and drains on
// SIGTERM.
import { execFileSync } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bareEnv, stageFixtureImage, removeStagedCopies, startStaged, type StagedProcess } from '../test/staged-image';
import { allFixtureModels, loadBundledModels, startTestServer, type TestServer } from '../test/test-server';

let dir: string;
let server: StagedProcess;
let url: string;
let reference: TestServer;

const predictions: [string, unknown[]][] = [
  ['iris', [{ sepal_length: 5.9, sepal_width: 3.0, petal_length: 4.2, petal_width: 1.5 }]],
  ['diabetes', [{ age: 0.03, sex: 0.05, bmi: 0.06, bp: 0.02, s1: -0.04, s2: -0.03, s3: -0.04, s4: 0.03, s5: 0.02, s6: 0.01 }]],
  ['sentiment', [{ review_text: 'dull and far too long' }]],
  ['disaster-tweets', [{ text: 'earthquake shakes the city, buildings collapse' }]],
];

async function answer(base: string, model: string, instances: unknown[]): Promise<{ status: number; body: string }> {
  const res = await fetch(`${base}/v1/models/${model}/predict`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-request-id': `staged-${model}` },
    body: JSON.stringify({ instances }),
  });
  return { status: res.status, body: await res.text() };
}

beforeAll(async () => {
  dir = await stageFixtureImage('server');
  server = startStaged(dir, ['.'], { PORT: '0', HOST: '127.0.0.1' });
  const [{ port }] = await Promise.all([server.logged('listening'), server.logged('models loaded: ready')]);
  url = `http://127.0.0.1:${port as number}`;
  reference = await startTestServer({ registry: await loadBundledModels(allFixtureModels) });
});
afterAll(async () => {
  await reference?.close();
  await removeStagedCopies();
});

describe('staged server image', () => {
  it('holds the bundle, production dependencies only, and onnxruntime binaries for linux/<this arch> only', async () => {
    const packageJson = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')) as Record<string, unknown>;
    expect([packageJson['main'], packageJson['type']]).toEqual(['main.js', 'module']);
    expect(Object.keys(packageJson['dependencies'] as object)).toEqual(['onnxruntime-node', 'swagger-ui-dist', 'papaparse']);
    const installed = await readdir(join(dir, 'node_modules'));
    for (const bundledOrDev of ['hono', 'pino', 'zod', '@aws-sdk', 'typescript', 'vitest', 'esbuild', 's3rver']) {
      expect(installed, bundledOrDev).not.toContain(bundledOrDev);
    }
    const binaries = await readdir(join(dir, 'node_modules/onnxruntime-node/bin'), { recursive: true });
    expect(binaries.filter((p) => p.split('/').length === 3).sort()).toEqual([`napi-v6/linux/${process.arch}`]);
  });

  it('resolves onnxruntime-node from its own folder, not the workspace', () => {
    const resolved = execFileSync(process.execPath, ['-p', "require.resolve('onnxruntime-node')"], { cwd: dir, env: bareEnv(), encoding: 'utf8' });
    expect(resolved.trim()).toBe(join(dir, 'node_modules/onnxruntime-node/dist/index.js'));
  });

  it('is ready with every bundled model, the text models patched for their locale', async () => {
    const res = await fetch(`${url}/ready`);
    expect([res.status, await res.json()]).toEqual([200, { status: 'ready', models: allFixtureModels.length }]);
    const ready = server.logLines.find((l) => l['msg'] === 'models loaded: ready')!;
    const patches = (ready['models'] as { name: string; patches: string[] }[]).find((m) => m.name === 'disaster-tweets')!.patches;
    expect(patches.join()).toContain('locale set to C.UTF-8');
  });

  it.each(predictions)('predicts with %s exactly as the server built from source', async (model, instances) => {
    const staged = await answer(url, model, instances);
    expect(staged.status).toBe(200);
    expect(staged).toEqual(await answer(reference.url, model, instances));
  });

  it('serves the /docs page assets from the installed swagger-ui-dist, the model pages\' CSV parser from papaparse and their template', async () => {
    const res = await fetch(`${url}/docs/assets/swagger-ui-dist/swagger-ui.css`);
    expect([res.status, res.headers.get('content-type')]).toEqual([200, 'text/css; charset=utf-8']);
    const parser = await fetch(`${url}/assets/papaparse.min.js`);
    expect([parser.status, parser.headers.get('content-type')]).toEqual([200, 'text/javascript; charset=utf-8']);
    expect(await parser.text()).toContain('Papa');
    // The CSV template is written by the bundled copy of papaparse.
    const template = await fetch(`${url}/models/iris/template.csv`);
    expect([template.status, await template.text()]).toEqual([200, 'sepal_length,sepal_width,petal_length,petal_width\n5.1,3.5,1.4,0.2\n']);
  });

  it('on SIGTERM stops and exits 0', async () => {
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    expect(server.logLines.map((l) => l['msg'])).toContain('stopped');
  });
});
