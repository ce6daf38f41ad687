// The staged server image folder, copied outside the workspace and started with `node .` (its package.json's
// main) and a bare environment: it holds only production dependencies and this architecture's onnxruntime
// binaries, resolves them from itself, gets ready, answers every golden row of the example models as the golden
// files record, and drains on SIGTERM.
import { execFileSync } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expectSamePrediction, goldenRelativeTolerance } from '@onnx-serve/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { credentials, loadPackageDefinition, type ChannelCredentials, type Client } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { exampleAnswers, fixtureModels } from './golden-answers';
import { bareEnv, stageFixtureImage, removeStagedCopies, startStaged, type StagedProcess } from './staged-image';

let dir: string;
let server: StagedProcess;
let url: string;
let grpcPort: number;

type Unary = (request: unknown, callback: (err: Error | null, response: unknown) => void) => void;

beforeAll(async () => {
  dir = await stageFixtureImage('server');
  // Two workers, as on any machine with two CPUs (the image's default: one per CPU).
  server = startStaged(dir, ['.'], { PORT: '0', GRPC_PORT: '0', HOST: '127.0.0.1', WEB_CONCURRENCY: '2' });
  const [{ port }, grpc] = await Promise.all([server.logged('listening'), server.logged('gRPC listening'), server.logged('workers ready')]);
  url = `http://127.0.0.1:${port as number}`;
  grpcPort = grpc['port'] as number;
});
afterAll(removeStagedCopies);

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

  it('loads no AWS SDK code at start: only a dynamic import, with MODEL_S3_URI set, reaches its chunk', async () => {
    const staticImports = /^(?:import|export)\s[^;]*?\sfrom\s*"(\.\/[^"]+)";|^import\s*"(\.\/[^"]+)";/gm;
    const reached = new Set<string>();
    const visit = async (file: string): Promise<void> => {
      if (reached.has(file)) return;
      reached.add(file);
      const text = await readFile(join(dir, file), 'utf8');
      for (const [, from, bare] of text.matchAll(staticImports)) await visit((from ?? bare ?? '').slice(2));
    };
    await visit('main.js');
    const holdsSdk = async (file: string) => (await readFile(join(dir, file), 'utf8')).includes('// node_modules/@aws-sdk/client-s3/');
    const chunks = (await readdir(dir)).filter((f) => f.endsWith('.js'));
    const sdkChunks = (await Promise.all(chunks.map(async (f) => ((await holdsSdk(f)) ? [f] : [])))).flat();
    expect(sdkChunks).not.toEqual([]);
    expect([...reached].filter((f) => sdkChunks.includes(f))).toEqual([]);
  });

  it('resolves onnxruntime-node from its own folder, not the workspace', () => {
    const resolved = execFileSync(process.execPath, ['-p', "require.resolve('onnxruntime-node')"], { cwd: dir, env: bareEnv(), encoding: 'utf8' });
    expect(resolved.trim()).toBe(join(dir, 'node_modules/onnxruntime-node/dist/index.js'));
  });

  it('is ready with every bundled model, the text models patched for their locale', async () => {
    const res = await fetch(`${url}/ready`);
    expect([res.status, await res.json()]).toEqual([200, { status: 'ready', models: fixtureModels.length }]);
    // The server's log lines reach stdout within 200 ms (buffered), maybe after /ready answers.
    const ready = await server.logged('models loaded: ready');
    const models = ready['models'] as { name: string; patches: string[] }[];
    expect(models.map((m) => m.name)).toEqual(fixtureModels);
    const patches = models.find((m) => m.name === 'disaster-tweets')!.patches;
    expect(patches.join()).toContain('locale set to C.UTF-8');
  });

  it.each(Object.values(exampleAnswers))('answers every golden row of $model as its golden file records', async ({ model, instances, predictions }) => {
    const res = await fetch(`${url}/v1/models/${model}/predict`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': `staged-${model}` },
      body: JSON.stringify({ instances }),
    });
    expect([res.status, res.headers.get('content-type'), res.headers.get('x-request-id')]).toEqual([200, 'application/json', `staged-${model}`]);
    expectSamePrediction(await res.json(), { model: { name: model, version: '1' }, predictions }, model, goldenRelativeTolerance);
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

  it('serves gRPC too, from the .proto files beside main.js, and answers ModelInfer as REST V2 does', async () => {
    expect((await readdir(join(dir, 'proto'))).sort()).toEqual(['grpc_predict_v2.proto', 'health.proto']);
    // A client of the image's own .proto files, as a user would take them from the image: nothing of the app's source.
    const options = { keepCase: true, longs: String, enums: String, defaults: true, oneofs: true, includeDirs: [join(dir, 'proto')] };
    const { inference } = loadPackageDefinition(loadSync('grpc_predict_v2.proto', options)) as unknown as {
      inference: { GRPCInferenceService: new (address: string, creds: ChannelCredentials) => Client & { ModelInfer: Unary } };
    };
    const client = new inference.GRPCInferenceService(`127.0.0.1:${grpcPort}`, credentials.createInsecure());
    try {
      const inputs = [{ name: 'X', datatype: 'FP32', shape: [1, 4], contents: { fp32_contents: [6.3, 3.3, 6, 2.5] } }];
      const answer = await new Promise<{ outputs: { contents: { int64_contents: string[] } }[] }>((resolve, reject) =>
        client.ModelInfer({ model_name: 'iris', inputs, outputs: [{ name: 'output_label' }] }, (err, res) => (err ? reject(err) : resolve(res as never))),
      );
      const rest = await fetch(`${url}/v2/models/iris/infer`, {
        method: 'POST',
        body: JSON.stringify({ inputs: [{ name: 'X', datatype: 'FP32', shape: [1, 4], data: [6.3, 3.3, 6, 2.5] }], outputs: [{ name: 'output_label' }] }),
      });
      const { outputs } = (await rest.json()) as { outputs: { data: number[] }[] };
      expect(answer.outputs[0]!.contents.int64_contents.map(Number)).toEqual(outputs[0]!.data);
    } finally {
      client.close();
    }
  });

  it('on SIGTERM stops and exits 0', async () => {
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    expect(server.logLines.map((l) => l['msg'])).toContain('stopped');
  });
});
