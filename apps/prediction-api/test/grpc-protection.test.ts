// What guards and records each gRPC call, as for REST: API keys as metadata (x-api-key or authorization: Bearer),
// probes open; one rate-limit budget per caller across REST and gRPC; the deadline as DEADLINE_EXCEEDED; one request
// log line and the grpc_server_* metrics per call; the health service's Watch; and a shutdown that lets calls in
// flight finish.
import { status, type ClientReadableStream } from '@grpc/grpc-js';
import type { ModelRegistry } from '@onnx-serve/inference';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseApiKeys, sha256 } from '../src/middleware/api-keys';
import { grpcClient, type GrpcTestClient, type Message } from './grpc-client';
import { gatedRuns, loadBundledModels, postJson, startTestServer, type TestServer } from './test-server';

const irisRequest = { model_name: 'iris', inputs: [{ name: 'X', datatype: 'FP32', shape: [1, 4], contents: { fp32_contents: [5.1, 3.5, 1.4, 0.2] } }] };

let registry: ModelRegistry;
beforeAll(async () => {
  registry = await loadBundledModels(['iris']);
});

/** The call's status name and message, or OK. */
const outcome = (call: Promise<unknown>) =>
  call.then(
    () => ['OK'],
    (err: { code: number; details: string; metadata: { getMap(): Record<string, unknown> } }) => [status[err.code], err.details, err.metadata.getMap()],
  );

describe('API keys as metadata', () => {
  let server: TestServer;
  let client: GrpcTestClient;
  beforeAll(async () => {
    const hashed = `sha256:${sha256('second-key').toString('hex')}`;
    server = await startTestServer({ registry, protection: { apiKeys: parseApiKeys(`first-key,${hashed}`) }, grpc: true });
    client = grpcClient(server.grpcPort);
  });
  afterAll(async () => {
    client.close();
    await server.close();
  });

  it('UNAUTHENTICATED without a key (saying how to send one), PERMISSION_DENIED with a wrong one', async () => {
    expect(await outcome(client.call('ModelInfer', irisRequest))).toEqual([
      'UNAUTHENTICATED',
      'an API key is required: send it as x-api-key or Authorization: Bearer <key>',
      { 'www-authenticate': 'Bearer realm="prediction-api"' },
    ]);
    expect(await outcome(client.call('ModelInfer', irisRequest, { 'x-api-key': 'guess' }))).toEqual(['PERMISSION_DENIED', 'the API key is not valid', {}]);
    expect(await outcome(client.call('ModelMetadata', { name: 'iris' }))).toEqual(expect.arrayContaining(['UNAUTHENTICATED']));
    expect(await outcome(client.call('ServerMetadata', {}, { authorization: 'Bearer guess' }))).toEqual(expect.arrayContaining(['PERMISSION_DENIED']));
  });

  it('takes a raw key or the key behind a sha256 entry, as x-api-key or authorization: Bearer', async () => {
    expect((await client.call('ModelInfer', irisRequest, { 'x-api-key': 'first-key' })).model_name).toBe('iris');
    expect((await client.call('ModelInfer', irisRequest, { authorization: 'Bearer second-key' })).model_name).toBe('iris');
    expect(await client.call('ServerMetadata', {}, { 'x-api-key': 'second-key' })).toEqual({ name: 'onnx-serve', version: '1.2.3-test', extensions: [] });
  });

  it('leaves liveness, readiness and health open', async () => {
    expect(await client.call('ServerLive', {})).toEqual({ live: true });
    expect(await client.call('ServerReady', {})).toEqual({ ready: true });
    expect(await client.call('Check', { service: '' }, {}, 'health')).toEqual({ status: 'SERVING' });
  });
});

describe('rate limit', () => {
  let server: TestServer;
  let client: GrpcTestClient;
  beforeAll(async () => {
    // One token a minute: none comes back while the test runs, however slow the machine.
    server = await startTestServer({ registry, protection: { rateLimit: { perMinute: 1, burst: 2 } }, grpc: true });
    client = grpcClient(server.grpcPort);
  });
  afterAll(async () => {
    client.close();
    await server.close();
  });

  it('takes REST and gRPC calls from one budget per caller; probes are never limited', async () => {
    const rest = await postJson(`${server.url}/v2/models/iris/infer`, { inputs: [{ name: 'X', shape: [1, 4], datatype: 'FP32', data: [5.1, 3.5, 1.4, 0.2] }] });
    expect(rest.status).toBe(200);
    expect(await outcome(client.call('ModelInfer', irisRequest))).toEqual(['OK']);
    const [code, details, metadata] = await outcome(client.call('ModelInfer', irisRequest));
    // The next token is a minute from the first call; some of that minute has passed on a loaded machine.
    const wait = /^rate limit exceeded; retry after (\d+) s$/.exec(details as string)?.[1];
    expect([code, Number(wait) > 50, metadata]).toEqual(['RESOURCE_EXHAUSTED', true, { 'retry-after': wait }]);
    const restAgain = await postJson(`${server.url}/v2/models/iris/infer`, { inputs: [{ name: 'X', shape: [1, 4], datatype: 'FP32', data: [5.1, 3.5, 1.4, 0.2] }] });
    expect(restAgain.status).toBe(429);
    for (let i = 0; i < 3; i++) expect(await client.call('ServerReady', {})).toEqual({ ready: true });
  });
});

describe('deadline, request log and metrics', () => {
  let server: TestServer;
  let client: GrpcTestClient;
  beforeAll(async () => {
    server = await startTestServer({ registry, protection: { requestTimeoutMs: 300 }, grpc: true });
    client = grpcClient(server.grpcPort);
  });
  afterAll(async () => {
    client.close();
    await server.close();
  });

  it('answers DEADLINE_EXCEEDED when a call outlasts REQUEST_TIMEOUT_MS, and aborts its run so no further chunk runs', async () => {
    const model = registry.get('iris')!;
    const gate = gatedRuns(model);
    const gatedRun = model.run;
    const signals: unknown[] = [];
    model.run = (feeds, options) => (signals.push(options?.signal), gatedRun(feeds, options));
    try {
      expect(await outcome(client.call('ModelInfer', irisRequest, { 'x-request-id': 'slow-grpc' }))).toEqual([
        'DEADLINE_EXCEEDED',
        'the request did not finish within 300 ms',
        {},
      ]);
      // The signal the chunk loop checks between chunks (libs/inference chunked-runner), aborted at the deadline.
      expect(signals).toEqual([{ aborted: true, reason: expect.objectContaining({ code: 'timeout' }) }]);
    } finally {
      gate.release();
      gate.restore();
    }
    expect(server.logLines.find((line) => line['requestId'] === 'slow-grpc')).toMatchObject({ status: 503, grpcCode: 'DEADLINE_EXCEEDED', model: 'iris' });
  });

  it('logs one request line per call and counts it in /metrics', async () => {
    await client.call('ModelInfer', irisRequest, { 'x-request-id': 'logged-grpc' });
    const line = server.logLines.find((l) => l['requestId'] === 'logged-grpc')!;
    expect({ ...line, time: 0, latencyMs: 0 }).toEqual({
      level: 'info',
      time: 0,
      service: 'prediction-api',
      requestId: 'logged-grpc',
      method: 'gRPC',
      route: '/inference.GRPCInferenceService/ModelInfer',
      path: '/inference.GRPCInferenceService/ModelInfer',
      status: 200,
      latencyMs: 0,
      model: 'iris',
      batchSize: 1,
      grpcCode: 'OK',
      msg: 'request',
    });
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    const counted = metrics.split('\n').filter((l) => l.startsWith('grpc_server_handled_total{') && l.includes('ModelInfer'));
    expect(counted.sort()).toEqual([
      'grpc_server_handled_total{grpc_service="inference.GRPCInferenceService",grpc_method="ModelInfer",grpc_code="DEADLINE_EXCEEDED"} 1',
      'grpc_server_handled_total{grpc_service="inference.GRPCInferenceService",grpc_method="ModelInfer",grpc_code="OK"} 1',
    ]);
    expect(metrics).toMatch(/^grpc_server_handling_seconds_count\{grpc_service="inference.GRPCInferenceService",grpc_method="ModelInfer"\} 2$/m);
    // The model runs are the catalog's, counted whichever protocol asked (the timed-out one finished after its answer).
    expect(metrics).toMatch(/^inference_batch_size_count\{model="iris"\} 2$/m);
  });
});

describe('health service and shutdown', () => {
  it('Watch tells NOT_SERVING while loading, SERVING once loaded, NOT_SERVING at shutdown, then ends', async () => {
    const server = await startTestServer({ grpc: true });
    const client = grpcClient(server.grpcPort);
    const statuses: string[] = [];
    const health = client.raw.health as unknown as { Watch(request: unknown): ClientReadableStream<Message> };
    const watch = health.Watch({ service: '' });
    const ended = new Promise<void>((resolve, reject) => {
      watch.on('data', (message: { status: string }) => statuses.push(message.status));
      watch.on('end', resolve);
      watch.on('error', reject);
    });
    const unknown = await client.call('Check', { service: 'nope' }, {}, 'health').catch((err: { code: number; details: string }) => [status[err.code], err.details]);
    expect(unknown).toEqual(['NOT_FOUND', 'unknown service "nope"; health is told for "" (the whole server) and inference.GRPCInferenceService']);
    await expect.poll(() => statuses).toEqual(['NOT_SERVING']);
    server.catalog.use(registry);
    await expect.poll(() => statuses, { timeout: 3_000 }).toEqual(['NOT_SERVING', 'SERVING']);
    await server.close();
    await ended;
    expect(statuses).toEqual(['NOT_SERVING', 'SERVING', 'NOT_SERVING']);
    client.close();
  });

  it('lets a call in flight finish on close, and takes no new one', async () => {
    const server = await startTestServer({ registry, grpc: true });
    const client = grpcClient(server.grpcPort);
    await client.call('ServerReady', {});
    const gate = gatedRuns(registry.get('iris')!);
    try {
      const inFlight = client.call('ModelInfer', irisRequest);
      await gate.entered;
      const closed = server.close();
      const late = grpcClient(server.grpcPort);
      expect((await outcome(late.call('ServerLive', {})))[0]).toBe('UNAVAILABLE');
      late.close();
      gate.release();
      expect((await inFlight).model_name).toBe('iris');
      await closed;
    } finally {
      gate.release();
      gate.restore();
      client.close();
    }
  });
});

describe('the in-flight bound (MAX_IN_FLIGHT), one count for REST and gRPC', () => {
  let server: TestServer;
  let client: GrpcTestClient;
  beforeAll(async () => {
    server = await startTestServer({ registry, protection: { maxInFlight: 1 }, grpc: true });
    client = grpcClient(server.grpcPort);
  });
  afterAll(async () => {
    client.close();
    await server.close();
  });

  it('refuses a call past it with RESOURCE_EXHAUSTED at once, and REST with 503 overloaded, while probes answer', async () => {
    const gate = gatedRuns(server.catalog.resolve('iris'));
    try {
      const held = client.call('ModelInfer', irisRequest);
      await gate.entered;
      const refused = performance.now();
      expect(await outcome(client.call('ModelInfer', irisRequest))).toEqual([
        'RESOURCE_EXHAUSTED',
        'the server is at its limit of 1 requests in flight (MAX_IN_FLIGHT); retry after 1 s',
        { 'retry-after': '1' },
      ]);
      expect(performance.now() - refused).toBeLessThan(1_000);
      const rest = await postJson(`${server.url}/v1/models/iris/predict`, { instances: [{ sepal_length: 5.1, sepal_width: 3.5, petal_length: 1.4, petal_width: 0.2 }] });
      expect([rest.status, (rest.body as { error: { code: string } }).error.code]).toEqual([503, 'overloaded']);
      expect(await client.call('ServerReady', {})).toEqual({ ready: true });
      gate.release();
      expect((await held).model_name).toBe('iris');
    } finally {
      gate.restore();
    }
    expect((await client.call('ModelInfer', irisRequest)).model_name).toBe('iris');
  });
});
