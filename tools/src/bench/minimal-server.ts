// The benchmark's baseline: the least a Hono + onnxruntime-node server can do for the diabetes model
// (no validation, no named features, no logging). Run as its own process by serve-benchmark.ts.
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import * as ort from 'onnxruntime-node';

const [modelPath = 'models/diabetes/1/model.onnx', portArg = '0'] = process.argv.slice(2);
const session = await ort.InferenceSession.create(modelPath, { intraOpNumThreads: 1 });
const width = 10;

const app = new Hono().post('/predict', async (c) => {
  const { instances } = (await c.req.json()) as { instances: number[][] };
  const data = new Float32Array(instances.length * width);
  instances.forEach((row, i) => data.set(row, i * width));
  const out = await session.run({ X: new ort.Tensor('float32', data, [instances.length, width]) });
  return c.json({ predictions: Array.from(out['variable']?.data as Float32Array) });
});

serve({ fetch: app.fetch, port: Number(portArg), hostname: '127.0.0.1' }, (info) => {
  console.log(JSON.stringify({ msg: 'listening', port: info.port }));
});
