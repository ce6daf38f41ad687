// The node server as the server image runs it (the bundle of src/main.ts, on plain node) with WEB_CONCURRENCY=2: a
// primary and two worker processes on one port. Readiness waits for both workers, both answer, /metrics and the rate
// limit count across them, a bounded number of requests is in flight per worker, a killed worker is replaced, SIGTERM
// drains them all, and a worker that cannot start ends the primary with its reason. Run through nx (the test target
// depends on bundle-server), or bundle first: `npx tsx deploy/build/bundle.ts server`.
import { readdirSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { goldenStore, parseExposition, removeGoldenStores, sampleValue } from '@onnx-serve/testing';
import { workspaceRoot } from '../build/image-targets';
import { removeStagedCopies, startStaged, type StagedProcess } from './staged-image';

const bundle = 'dist/bundles/server/main.js';
const startBundle = (env: Record<string, string>): StagedProcess =>
  startStaged(workspaceRoot, [bundle], { PORT: '0', HOST: '127.0.0.1', WEB_CONCURRENCY: '2', ...env });

/**
 * The primary's workers, from /proc: its children that have started node with a worker's environment. Stopping a
 * child forked but not yet exec'd would stop the primary too (libuv's spawn waits for the exec).
 */
function workerPids(primary: number): number[] {
  const text = readFileSync(`/proc/${primary}/task/${primary}/children`, 'utf8').trim();
  const children = text === '' ? [] : text.split(' ').map(Number);
  return children.filter((pid) => readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').some((v) => v.startsWith('ONNX_SERVE_WORKER_SLOT=')));
}

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

let port = 0;
let nextAddress = 0;

/**
 * One request on a connection of its own (node:cluster hands connections to the workers in turn, so consecutive
 * calls alternate between them). Each comes from its own client address (TRUST_PROXY is on) unless `from` is given,
 * so only the rate limit test shares a bucket. `hold`: send the body only when the returned `send` is called.
 */
function call(path: string, options: { method?: string; body?: unknown; from?: string; hold?: boolean } = {}) {
  const body = options.body === undefined ? undefined : JSON.stringify(options.body);
  const from = options.from ?? `10.0.${nextAddress >> 8}.${nextAddress++ & 255}`;
  let send = () => undefined as void;
  const answer = new Promise<Answer>((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: options.method ?? (body === undefined ? 'GET' : 'POST'),
        agent: false,
        headers: { 'x-forwarded-for': from, ...(body === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }) },
      },
      (res) => {
        let text = '';
        res.on('data', (chunk) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: text }));
      },
    );
    req.on('error', reject);
    if (body === undefined) req.end();
    else if (options.hold) {
      req.write(body.slice(0, 10));
      send = () => void req.end(body.slice(10));
    } else req.end(body);
  });
  return { answer, send: () => send() };
}

const get = (path: string) => call(path).answer;
const diabetesRow = { age: 0.03, sex: 0.05, bmi: 0.06, bp: 0.02, s1: -0.04, s2: -0.03, s3: -0.04, s4: 0.03, s5: 0.02, s6: 0.01 };
const predict = (from?: string) => call('/v1/models/diabetes/predict', { body: diabetesRow, from }).answer;

/** Which worker answered each request: its request log line's pid (lines are written in ~200 ms batches). */
async function answeredBy(app: StagedProcess, count: number, path: string): Promise<number[]> {
  const lines = () => app.logLines.filter((l) => l['msg'] === 'request' && l['path'] === path);
  await expect.poll(() => lines().length, { timeout: 5_000 }).toBeGreaterThanOrEqual(count);
  return lines().map((l) => l['pid'] as number);
}

const metricsSample = async (name: string, labels: Record<string, string> = {}) =>
  sampleValue(parseExposition((await get('/metrics')).body), name, labels);

describe('the node server with WEB_CONCURRENCY=2', () => {
  let app: StagedProcess;
  let workers: number[];

  beforeAll(() => {
    const store = goldenStore({ diabetes: 'diabetes-rf', iris: 'iris-gb-zipmap' });
    app = startBundle({
      MODEL_DIR: store,
      MAX_IN_FLIGHT: '1',
      RATE_LIMIT_PER_MINUTE: '1',
      RATE_LIMIT_BURST: '3',
      TRUST_PROXY: 'true',
      SHUTDOWN_TIMEOUT_MS: '5000',
    });
  });
  afterAll(async () => {
    await removeStagedCopies();
    removeGoldenStores();
  });

  it('answers /ready 503 until every worker has loaded its models, though one worker has', async () => {
    // Stop the second worker as soon as it is forked, before it listens: every connection goes to the first.
    await expect.poll(() => workerPids(app.child.pid!).length, { timeout: 10_000, interval: 2 }).toBe(2);
    const [first, second] = workerPids(app.child.pid!) as [number, number];
    process.kill(second, 'SIGSTOP');
    expect((await app.logged('models loaded: ready'))['pid']).toBe(first);
    port = (await app.logged('listening'))['port'] as number;
    for (const path of ['/ready', '/v2/health/ready']) {
      const answer = await get(path);
      expect([answer.status, JSON.parse(answer.body)]).toEqual([503, path === '/ready' ? { status: 'loading' } : { ready: false }]);
    }
    expect((await get('/health')).status).toBe(200);
    expect(app.logLines.some((l) => l['msg'] === 'workers ready')).toBe(false);

    process.kill(second, 'SIGCONT');
    const ready = await app.logged('workers ready');
    workers = ready['pids'] as number[];
    expect(new Set(workers)).toEqual(new Set([first, second]));
    for (let i = 0; i < 4; i++) {
      const answer = await get('/ready');
      expect([answer.status, JSON.parse(answer.body)]).toEqual([200, { status: 'ready', models: 2 }]);
    }
  });

  it('serves from both workers, each request log line naming the pid of the worker that answered', async () => {
    for (let i = 0; i < 10; i++) expect((await predict()).status).toBe(200);
    const pids = await answeredBy(app, 10, '/v1/models/diabetes/predict');
    expect(new Set(pids)).toEqual(new Set(workers));
  });

  it('answers /metrics from any worker with every worker’s counts, summed; gauges by their own rule', async () => {
    for (let i = 0; i < 4; i++) {
      const samples = parseExposition((await get('/metrics')).body);
      expect(sampleValue(samples, 'http_requests_total', { method: 'POST', route: '/v1/models/:name/predict', status: '200' })).toBe(10);
      expect(sampleValue(samples, 'inference_batch_size_count', { model: 'diabetes' })).toBe(10);
      // Each worker serves the same two models: not 4.
      expect(sampleValue(samples, 'models_loaded')).toBe(2);
      expect(sampleValue(samples, 'worker_processes')).toBe(2);
      expect(sampleValue(samples, 'worker_restarts_total')).toBe(0);
    }
    // The scrapes themselves landed on both workers.
    expect(new Set(await answeredBy(app, 4, '/metrics'))).toEqual(new Set(workers));
  });

  it('counts the rate limit across workers: a burst of 3 is 3 requests, whichever worker each reaches', async () => {
    const answers: Answer[] = [];
    for (let i = 0; i < 6; i++) answers.push(await predict('192.0.2.7'));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 429, 429, 429]);
    // One token a minute: the next is about a minute away.
    expect(answers[3]!.headers['retry-after']).toMatch(/^(59|60)$/);
    // Both workers refused some: buckets of their own would have let 3 through each.
    await expect.poll(() => new Set(app.logLines.filter((l) => l['status'] === 429).map((l) => l['pid'])).size).toBe(2);
  });

  it('refuses past MAX_IN_FLIGHT per worker with 503 overloaded and Retry-After at once, and never refuses a probe', async () => {
    // Requests whose bodies are held are in flight; open them until each worker holds one (MAX_IN_FLIGHT=1).
    const held: ReturnType<typeof call>[] = [];
    while (held.length < 2) {
      const attempt = call('/v1/models/diabetes/predict', { body: diabetesRow, hold: true });
      const early = await Promise.race([attempt.answer, new Promise((resolve) => setTimeout(resolve, 300, 'held'))]);
      if (early === 'held') held.push(attempt);
    }
    for (let i = 0; i < 4; i++) {
      const started = performance.now();
      const refused = await predict();
      expect(performance.now() - started).toBeLessThan(1_000);
      expect(refused.status).toBe(503);
      expect(refused.headers['retry-after']).toBe('1');
      const { error } = JSON.parse(refused.body) as { error: Record<string, unknown> };
      expect(error).toEqual({
        status: 503,
        code: 'overloaded',
        message: 'the server is at its limit of 1 requests in flight (MAX_IN_FLIGHT); retry after 1 s',
        requestId: expect.any(String),
      });
    }
    const v2 = await call('/v2/models/iris/infer', { body: { inputs: [{ name: 'X', shape: [1, 4], datatype: 'FP32', data: [5, 3, 1, 0.2] }] } }).answer;
    expect([v2.status, JSON.parse(v2.body), v2.headers['retry-after']]).toEqual([
      503,
      { error: 'the server is at its limit of 1 requests in flight (MAX_IN_FLIGHT); retry after 1 s' },
      '1',
    ]);
    for (const probe of ['/health', '/ready', '/v2/health/live', '/v2/health/ready', '/metrics', '/health']) {
      expect((await get(probe)).status, probe).toBe(200);
    }
    for (const request of held) request.send();
    for (const request of held) expect((await request.answer).status).toBe(200);
    expect((await predict()).status).toBe(200);
  });

  it('restarts a worker killed with SIGKILL, logging why, and serves from its replacement', async () => {
    const [killed, survivor] = workers as [number, number];
    process.kill(killed, 'SIGKILL');
    const exited = await app.logged('worker exited: restarting');
    expect(exited).toMatchObject({ level: 'error', workerPid: killed, signal: 'SIGKILL', restartInMs: 100 });
    // The survivor serves meanwhile, and still says ready.
    expect((await get('/ready')).status).toBe(200);
    await expect.poll(() => app.logLines.find((l) => l['msg'] === 'listening' && !workers.includes(l['pid'] as number)), { timeout: 15_000 }).toBeDefined();
    const replacement = app.logLines.find((l) => l['msg'] === 'listening' && !workers.includes(l['pid'] as number))!['pid'] as number;
    // A replacement loads its models before it listens.
    const loadedAt = app.logLines.findIndex((l) => l['msg'] === 'models loaded: ready' && l['pid'] === replacement);
    expect(loadedAt).toBeGreaterThan(-1);
    expect(loadedAt).toBeLessThan(app.logLines.findIndex((l) => l['msg'] === 'listening' && l['pid'] === replacement));
    workers = [replacement, survivor];

    const before = app.logLines.filter((l) => l['path'] === '/v1/models/iris/predict').length;
    for (let i = 0; i < 4; i++) {
      expect((await call('/v1/models/iris/predict', { body: { sepal_length: 5, sepal_width: 3, petal_length: 1, petal_width: 0.2 } }).answer).status).toBe(200);
    }
    expect(new Set((await answeredBy(app, before + 4, '/v1/models/iris/predict')).slice(before))).toEqual(new Set(workers));
    expect(await metricsSample('worker_restarts_total')).toBe(1);
  });

  it('on SIGTERM finishes the request in flight, refuses new connections and exits 0 within SHUTDOWN_TIMEOUT_MS', async () => {
    const slow = call('/v1/models/diabetes/predict', { body: diabetesRow, hold: true });
    await new Promise((resolve) => setTimeout(resolve, 200));
    const signalled = performance.now();
    app.child.kill('SIGTERM');
    const drainingIn = (pid: number) => app.logLines.some((l) => l['msg'] === 'shutting down: draining in-flight requests' && l['pid'] === pid);
    await expect.poll(() => workers.every(drainingIn), { timeout: 5_000 }).toBe(true);
    await expect(get('/health')).rejects.toThrow(/ECONNREFUSED|ECONNRESET|socket hang up/);
    slow.send();
    const answered = await slow.answer;
    expect([answered.status, Object.keys(JSON.parse(answered.body))]).toEqual([200, ['model', 'predictions']]);
    expect(await app.exited).toBe(0);
    expect(performance.now() - signalled).toBeLessThan(5_000);
    expect(app.logLines.at(-1)).toMatchObject({ msg: 'stopped', exitCode: 0, pid: app.child.pid });
  });
});

describe('the Lambda handler', () => {
  it('stays one process: its bundle holds none of the primary', () => {
    // Every file of a bundle folder: both are code-split, and the server's primary is a chunk of its own.
    const bundled = (dir: string) =>
      readdirSync(join(workspaceRoot, dir), { recursive: true, encoding: 'utf8' })
        .filter((file) => /\.m?js$/.test(file))
        .map((file) => readFileSync(join(workspaceRoot, dir, file), 'utf8'))
        .join('\n');
    expect(bundled(dirname(bundle))).toContain('starting workers');
    expect(bundled('dist/bundles/lambda')).not.toContain('starting workers');
  });
});

describe('a worker that cannot start', () => {
  afterAll(removeStagedCopies);

  // A store that cannot be read: the cheapest start that fails (no model loads), as each attempt is a whole start.
  it('is started again with a backoff, and 3 failures in a row end the primary with exit 1 and the reason, said once', async () => {
    const missing = join(tmpdir(), 'no-such-model-store');
    const app = startBundle({ MODEL_DIR: missing });
    expect(await app.exited).toBe(1);
    const [jsonLine, ...readable] = app.stderr().trimEnd().split('\n');
    expect(JSON.parse(jsonLine!)).toMatchObject({ level: 'fatal', msg: 'startup failed' });
    const reason = `model store ${missing} cannot be read: ENOENT: no such file or directory, scandir '${missing}'`;
    expect(readable).toEqual(['onnx-serve cannot start:', `  ${reason}`]);
    const failures = app.logLines.filter((l) => l['msg'] === 'worker failed to start');
    const slotOfLast = failures.at(-1)!['slot'];
    expect(failures.filter((l) => l['slot'] === slotOfLast).map((l) => [l['attempt'], l['code'], l['reason']])).toEqual([
      [1, 1, reason],
      [2, 1, reason],
      [3, 1, reason],
    ]);
    expect(app.logLines.at(-1)).toMatchObject({ msg: 'stopped', exitCode: 1 });
  }, 60_000);

  it('refuses a WEB_CONCURRENCY it cannot read, naming it, before any worker starts', async () => {
    const app = startBundle({ WEB_CONCURRENCY: 'two' });
    expect(await app.exited).toBe(1);
    expect(app.stderr()).toContain('onnx-serve cannot start:\n  invalid configuration: WEB_CONCURRENCY: ');
    expect(app.logLines).toEqual([]);
  });
});
