// /metrics in the Prometheus text format: requests by route pattern and status, latency histograms, inference
// time and batch size per model, models loaded, and the process metrics. Each app has its own registry.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InferenceRun } from '../src/model-catalog';
import { parseExposition, sampleValue, type Sample } from '@onnx-serve/testing';
import { getJson, loadBundledModels, postJson, startTestServer, type TestServer } from './test-server';

const iris = { sepal_length: 5.1, sepal_width: 3.5, petal_length: 1.4, petal_width: 0.2 };

async function scrape(server: TestServer): Promise<{ contentType: string | null; samples: Sample[] }> {
  const res = await fetch(`${server.url}/metrics`);
  expect(res.status).toBe(200);
  return { contentType: res.headers.get('content-type'), samples: parseExposition(await res.text()) };
}

let server: TestServer;
let loading: TestServer;
// The process CPU time just before and just after the app (and its CPU counter) was made.
let cpuBeforeStart: NodeJS.CpuUsage;
let cpuAfterStart: NodeJS.CpuUsage;
const runs: InferenceRun[] = [];
beforeAll(async () => {
  const registry = await loadBundledModels();
  cpuBeforeStart = process.cpuUsage();
  server = await startTestServer({ registry });
  cpuAfterStart = process.cpuUsage();
  server.catalog.observeInference((run) => runs.push(run));
  loading = await startTestServer();
});
afterAll(async () => {
  await server.close();
  await loading.close();
});

describe('/metrics', () => {
  it('counts requests and times them by route pattern, and times each model run with its batch size', async () => {
    expect((await postJson(`${server.url}/v1/models/iris/predict`, { instances: [iris, iris, iris] })).status).toBe(200);
    expect((await postJson(`${server.url}/v1/models/iris/predict`, iris)).status).toBe(200);
    expect((await postJson(`${server.url}/v1/models/nope/predict`, iris)).status).toBe(404);
    expect((await postJson(`${server.url}/v1/models/iris/predict`, { instances: [] })).status).toBe(422);
    expect((await getJson(`${server.url}/v1/models/iris`)).status).toBe(200);
    expect((await getJson(`${server.url}/no/such/path`)).status).toBe(404);

    const cpuBeforeScrape = process.cpuUsage();
    const { contentType, samples } = await scrape(server);
    const cpuAfterScrape = process.cpuUsage();
    expect(contentType).toBe('text/plain; version=0.0.4; charset=utf-8');
    const value = (name: string, labels: Record<string, string> = {}) => sampleValue(samples, name, labels);
    const predict = { method: 'POST', route: '/v1/models/:name/predict' };

    expect(value('http_requests_total', { ...predict, status: '200' })).toBe(2);
    expect(value('http_requests_total', { ...predict, status: '404' })).toBe(1);
    expect(value('http_requests_total', { ...predict, status: '422' })).toBe(1);
    expect(value('http_requests_total', { method: 'GET', route: '/v1/models/:name', status: '200' })).toBe(1);
    expect(value('http_requests_total', { method: 'GET', route: '/*', status: '404' })).toBe(1);
    expect(value('http_request_duration_seconds_count', predict)).toBe(4);
    expect(value('http_request_duration_seconds_bucket', { ...predict, le: '+Inf' })).toBe(4);
    // The seconds the request log line shows (rounded to the microsecond) are the ones the histogram sums.
    const predictLines = server.logLines.filter((l) => l['method'] === 'POST' && l['route'] === predict.route);
    expect(predictLines.map((l) => l['status'])).toEqual([200, 200, 404, 422]);
    const loggedSeconds = predictLines.reduce((sum, l) => sum + (l['latencyMs'] as number) / 1000, 0);
    expect(value('http_request_duration_seconds_sum', predict)).toBeCloseTo(loggedSeconds, 5);
    // Route patterns only: no raw path (a model name, a typo) ever becomes a label value.
    const routes = new Set(samples.filter((s) => s.name === 'http_requests_total').map((s) => s.labels['route']));
    expect([...routes].sort()).toEqual(['/*', '/v1/models/:name', '/v1/models/:name/predict']);

    // Two runs of iris (the 404 and the 422 never reached the model): 3 rows and 1 row.
    expect(value('inference_duration_seconds_count', { model: 'iris', version: '1' })).toBe(2);
    // The seconds the catalog reported for each run are the ones the histogram sums.
    expect(runs.map((run) => [run.model, run.version, run.rows])).toEqual([['iris', '1', 3], ['iris', '1', 1]]);
    expect(value('inference_duration_seconds_sum', { model: 'iris', version: '1' })).toBeCloseTo(runs[0]!.seconds + runs[1]!.seconds, 9);
    expect(value('inference_batch_size_count', { model: 'iris' })).toBe(2);
    expect(value('inference_batch_size_sum', { model: 'iris' })).toBe(4);
    expect(value('inference_batch_size_bucket', { model: 'iris', le: '1' })).toBe(1);
    expect(value('inference_batch_size_bucket', { model: 'iris', le: '5' })).toBe(2);
    expect(value('inference_batch_size_count', { model: 'diabetes' })).toBeUndefined();

    expect(value('models_loaded')).toBe(6);
    // The process's user CPU time since the app was made, read at the scrape: between what the process spent from
    // just after the start to just before the scrape, and from just before the start to just after it.
    const userSeconds = (from: NodeJS.CpuUsage, to: NodeJS.CpuUsage) => (to.user - from.user) / 1e6;
    expect(value('process_cpu_user_seconds_total')).toBeGreaterThanOrEqual(userSeconds(cpuAfterStart, cpuBeforeScrape));
    expect(value('process_cpu_user_seconds_total')).toBeLessThanOrEqual(userSeconds(cpuBeforeStart, cpuAfterScrape));
    // One reading of the heap: the used part of it, at least the megabytes the loaded app holds.
    expect(value('nodejs_heap_size_used_bytes')).toBeLessThanOrEqual(value('nodejs_heap_size_total_bytes')!);
    expect(value('nodejs_heap_size_used_bytes')).toBeGreaterThan(10 * 1024 * 1024);
  });

  it('times V2 inference too: the catalog reports every run, whichever API asked for it', async () => {
    const irisRows = { name: 'X', shape: [2, 4], datatype: 'FP32', data: [5.1, 3.5, 1.4, 0.2, 6.7, 3.0, 5.2, 2.3] };
    const diabetesRow = { name: 'X', shape: [1, 10], datatype: 'FP32', data: Array(10).fill(0.01) };
    expect((await postJson(`${server.url}/v2/models/iris/infer`, { inputs: [irisRows] })).status).toBe(200);
    expect((await postJson(`${server.url}/v2/models/diabetes/infer`, { inputs: [diabetesRow] })).status).toBe(200);
    const { samples } = await scrape(server);
    // On top of the first test's two v1 runs of iris (3 rows and 1 row).
    expect(sampleValue(samples, 'inference_batch_size_count', { model: 'iris' })).toBe(3);
    expect(sampleValue(samples, 'inference_batch_size_sum', { model: 'iris' })).toBe(6);
    expect(sampleValue(samples, 'inference_batch_size_count', { model: 'diabetes' })).toBe(1);
    expect(sampleValue(samples, 'inference_duration_seconds_count', { model: 'diabetes', version: '1' })).toBe(1);
    expect(sampleValue(samples, 'http_requests_total', { method: 'POST', route: '/v2/models/:name/infer', status: '200' })).toBe(2);
  });

  it('counts the scrape itself on the next scrape', async () => {
    const before = sampleValue((await scrape(server)).samples, 'http_requests_total', { method: 'GET', route: '/metrics', status: '200' }) ?? 0;
    const after = sampleValue((await scrape(server)).samples, 'http_requests_total', { method: 'GET', route: '/metrics', status: '200' });
    expect(after).toBe(before + 1);
  });

  it('a server still loading has 0 models loaded, and its own counters (a registry per app)', async () => {
    expect((await getJson(`${loading.url}/v1/models`)).status).toBe(503);
    const { samples } = await scrape(loading);
    expect(sampleValue(samples, 'models_loaded')).toBe(0);
    expect(sampleValue(samples, 'http_requests_total', { method: 'GET', route: '/v1/models', status: '503' })).toBe(1);
    expect(sampleValue(samples, 'http_requests_total', { method: 'POST', route: '/v1/models/:name/predict', status: '200' })).toBeUndefined();
  });
});
