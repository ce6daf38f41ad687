// A request over REQUEST_TIMEOUT_MS is answered 503 `timeout` at the deadline, between the chunks of a large batch;
// the server keeps serving, and the batch stops there: the chunks left are never run.
import { LocalModelStore, loadModels } from '@onnx-serve/inference';
import { goldenInstances, readGolden } from '@onnx-serve/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseExposition, sampleValue } from '@onnx-serve/testing';
import { bundledModelDir, postJson, startTestServer, type TestServer } from './test-server';

const timeoutMs = 150;
let server: TestServer;
beforeAll(async () => {
  // Chunks of 1 row: a 10,000-row batch takes 10,000 runs with a turn of the event loop between each (measured:
  // ~0.5 s or more on 2 cores), well over the deadline, whatever else speeds up; one row takes a few ms.
  const registry = await loadModels(new LocalModelStore(bundledModelDir), { maxRowsPerRun: 1 });
  server = await startTestServer({
    registry,
    limits: { maxBodyBytes: 8 * 1024 * 1024, maxInstances: 10_000 },
    protection: { requestTimeoutMs: timeoutMs },
  });
});
afterAll(() => server.close());

const diabetesMetrics = async () => {
  const samples = parseExposition(await (await fetch(`${server.url}/metrics`)).text());
  return {
    runs: sampleValue(samples, 'inference_batch_size_count', { model: 'diabetes' }) ?? 0,
    rowsSkipped: sampleValue(samples, 'inference_rows_skipped_total', { model: 'diabetes', version: '1' }) ?? 0,
  };
};

describe('request timeout', () => {
  it('answers a batch that outlasts REQUEST_TIMEOUT_MS with 503 timeout, and keeps serving', async () => {
    const rows = goldenInstances(readGolden('diabetes-rf.golden.json'));
    const instances = Array.from({ length: 10_000 }, (_, i) => rows[i % rows.length]);
    const late = await postJson(`${server.url}/v1/models/diabetes/predict`, { instances }, { 'x-request-id': 'big-batch' });
    expect(late.status).toBe(503);
    expect(late.body).toEqual({
      error: { status: 503, code: 'timeout', message: `the request did not finish within ${timeoutMs} ms`, requestId: 'big-batch' },
    });
    expect(server.logLines.find((l) => l['requestId'] === 'big-batch')).toMatchObject({
      route: '/v1/models/:name/predict',
      status: 503,
    });
    // The batch stopped at the next turn between its chunks (of one row each): some ran, the rest never will.
    const stopped = await diabetesMetrics();
    expect(stopped.runs).toBe(0);
    expect(stopped.rowsSkipped).toBeGreaterThan(0);
    expect(stopped.rowsSkipped).toBeLessThan(10_000);
    const chunksRun = 10_000 - stopped.rowsSkipped;
    // Other requests are served meanwhile, and nothing of the big batch runs after it stopped.
    const small = await postJson(`${server.url}/v1/models/diabetes/predict`, rows[0]);
    expect(small.status).toBe(200);
    expect(small.body.predictions).toHaveLength(1);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await diabetesMetrics()).toEqual({ runs: 1, rowsSkipped: 10_000 - chunksRun });
  });
});
