// The benchmark's baseline: the least a Hono + onnxruntime-node server can do to answer the same request as the
// project's server (named diabetes features in, one value per row out), as a hand-rolled tutorial server would:
// parse, read the features in the model's column order, one session.run, answer. No validation (a missing
// feature becomes NaN), no logging, no metrics. Run as its own process by serve-benchmark.ts; CLUSTER_WORKERS=2 runs
// it as a node cluster of 2 workers sharing the port, as a tutorial's "use every core" step does.
import cluster from 'node:cluster';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import * as ort from 'onnxruntime-node';

const [modelPath = 'test-fixtures/models/diabetes/1/model.onnx', portArg = '0'] = process.argv.slice(2);
const workers = Number(process.env['CLUSTER_WORKERS'] ?? 1);
if (workers > 1 && cluster.isPrimary) {
  for (let i = 0; i < workers; i++) cluster.fork();
  process.once('SIGTERM', () => {
    for (const worker of Object.values(cluster.workers ?? {})) worker?.kill('SIGTERM');
    process.exit(0);
  });
} else {
  await serveModel();
}

async function serveModel(): Promise<void> {
  const session = await ort.InferenceSession.create(modelPath, { intraOpNumThreads: 1 });
  const features = ['age', 'sex', 'bmi', 'bp', 's1', 's2', 's3', 's4', 's5', 's6'];

  const app = new Hono().post('/predict', async (c) => {
    const { instances } = (await c.req.json()) as { instances: Record<string, number>[] };
    const data = new Float32Array(instances.length * features.length);
    instances.forEach((row, i) => features.forEach((name, j) => (data[i * features.length + j] = row[name] as number)));
    const out = await session.run({ X: new ort.Tensor('float32', data, [instances.length, features.length]) });
    return c.json({ predictions: Array.from(out['variable']?.data as Float32Array, (value) => ({ value })) });
  });

  serve({ fetch: app.fetch, port: Number(portArg), hostname: '127.0.0.1' }, (info) => {
    console.log(JSON.stringify({ msg: 'listening', port: info.port }));
  });
}
