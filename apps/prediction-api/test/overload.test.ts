// The in-flight bound (MAX_IN_FLIGHT) on the node server: a request past it is refused before the app sees it, with
// exactly what the app itself answers (the Lambda handler and app.request never pass the node listener), the same
// request log line and the same metrics; the probes and /metrics are never refused.
import { parseExposition, sampleValue } from '@onnx-serve/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app';
import { createSharedServices, earlyRefusal } from '../src/configured-app';
import { createLogger } from '../src/logging/logger';
import { defaultProtection } from '../src/middleware/protection';
import { ModelCatalog } from '../src/model-catalog';
import { defaultLimits } from '../src/service-limits';
import { startServer, type RunningServer } from '../src/server';
import { gatedRuns, loadBundledModels } from './test-server';

const message = 'the server is at its limit of 1 requests in flight (MAX_IN_FLIGHT); retry after 1 s';
const irisRow = {
  sepal_length: 5.1,
  sepal_width: 3.5,
  petal_length: 1.4,
  petal_width: 0.2,
};
const v2Request = {
  inputs: [{ name: 'X', shape: [1, 4], datatype: 'FP32', data: [5.1, 3.5, 1.4, 0.2] }],
};

interface Answer {
  status: number;
  headers: Record<string, string | null>;
  body: unknown;
}

const shown = ['content-type', 'retry-after', 'x-request-id'];
async function answerOf(response: Response): Promise<Answer> {
  return {
    status: response.status,
    headers: Object.fromEntries(shown.map((h) => [h, response.headers.get(h)])),
    body: await response.json(),
  };
}

const post = (path: string, body: unknown, requestId: string): RequestInit & { path: string } => ({
  path,
  method: 'POST',
  headers: { 'content-type': 'application/json', 'x-request-id': requestId },
  body: JSON.stringify(body),
});

/** A request line as both paths write it, without what differs from run to run. */
const stable = ({ time: _time, latencyMs, ...line }: Record<string, unknown>) => ({ ...line, latencyMs: typeof latencyMs });

const logLines: Record<string, unknown>[] = [];
const logger = createLogger('info', {
  write: (line: string) => logLines.push(JSON.parse(line)),
});
let catalog: ModelCatalog;
let app: ReturnType<typeof createApp>;
let server: RunningServer;
let base: string;
/** What the node listener answered before the app: counted, so a test sees that the refusal came from there. */
let answeredEarly = 0;
beforeAll(async () => {
  catalog = new ModelCatalog(defaultLimits);
  catalog.use(await loadBundledModels(['iris', 'diabetes']));
  const protection = { ...defaultProtection, maxInFlight: 1 };
  const shared = createSharedServices(catalog, protection);
  app = createApp({
    catalog,
    logger,
    limits: defaultLimits,
    appVersion: '1.2.3-test',
    protection,
    ...shared,
  });
  const answerEarly = earlyRefusal(app, logger, shared)!;
  server = await startServer(app, {
    port: 0,
    host: '127.0.0.1',
    answerEarly: (req, res) => answerEarly(req, res) && ++answeredEarly > 0,
  });
  base = `http://127.0.0.1:${server.port}`;
});
afterAll(() => server.close(1_000));

describe('past MAX_IN_FLIGHT on the node server', () => {
  const requests = [
    post('/v1/models/diabetes/predict', { age: 0.03 }, 'caller-1'),
    post('/v2/models/iris/infer', v2Request, 'caller-2'),
    post('/v1/models/iris/predict?explain=1', irisRow, 'caller-3'),
    post('/no/such/route', {}, 'caller-4'),
  ];
  const early: Answer[] = [];
  const inApp: Answer[] = [];
  let metricsText = '';

  beforeAll(async () => {
    const gate = gatedRuns(catalog.resolve('iris'));
    try {
      const held = fetch(`${base}/v1/models/iris/predict`, {
        method: 'POST',
        body: JSON.stringify(irisRow),
      });
      await gate.entered;
      for (const { path, ...init } of requests) early.push(await answerOf(await fetch(`${base}${path}`, init)));
      // The same requests handed to the app itself, past the same full bound, as the Lambda handler hands them.
      for (const { path, ...init } of requests) inApp.push(await answerOf(await app.request(path, init)));
      for (const probe of ['/health', '/ready', '/v2/health/live', '/v2/health/ready']) {
        expect((await fetch(`${base}${probe}`)).status, probe).toBe(200);
      }
      const metrics = await fetch(`${base}/metrics`);
      expect(metrics.status).toBe(200);
      metricsText = await metrics.text();
      gate.release();
      expect((await held).status).toBe(200);
    } finally {
      gate.restore();
    }
  });

  it('refuses before the app, and never a probe or /metrics', () => {
    expect(answeredEarly).toBe(requests.length);
  });

  it('answers 503 overloaded with Retry-After, the caller’s request id, and the v1 or V2 error shape', () => {
    expect(early[0]).toEqual({
      status: 503,
      headers: {
        'content-type': 'application/json',
        'retry-after': '1',
        'x-request-id': 'caller-1',
      },
      body: {
        error: {
          status: 503,
          code: 'overloaded',
          message,
          requestId: 'caller-1',
        },
      },
    });
    expect(early[1]).toEqual({
      status: 503,
      headers: {
        'content-type': 'application/json',
        'retry-after': '1',
        'x-request-id': 'caller-2',
      },
      body: { error: message },
    });
  });

  it('answers exactly what the app answers past the bound when no node listener is in front of it', () => {
    expect(early).toEqual(inApp);
    const refusedLines = (id: string) => logLines.filter((l) => l['requestId'] === id).map(stable);
    for (const { headers } of requests) {
      const [fromListener, fromApp] = refusedLines((headers as Record<string, string>)['x-request-id']!);
      expect(fromListener).toEqual(fromApp);
    }
  });

  it('writes one request line per refusal, labelled with the route asked for', () => {
    const lines = logLines.filter((l) => String(l['requestId']).startsWith('caller-')).slice(0, requests.length);
    expect(lines.map((l) => [l['requestId'], l['method'], l['route'], l['path'], l['status'], l['level']])).toEqual([
      ['caller-1', 'POST', '/v1/models/:name/predict', '/v1/models/diabetes/predict', 503, 'error'],
      ['caller-2', 'POST', '/v2/models/:name/infer', '/v2/models/iris/infer', 503, 'error'],
      ['caller-3', 'POST', '/v1/models/:name/predict', '/v1/models/iris/predict', 503, 'error'],
      ['caller-4', 'POST', '/*', '/no/such/route', 503, 'error'],
    ]);
  });

  it('counts the refusals in http_requests_total by route, as the app counts every answer', () => {
    const samples = parseExposition(metricsText);
    const refused = (route: string) =>
      sampleValue(samples, 'http_requests_total', {
        method: 'POST',
        route,
        status: '503',
      });
    // Scraped after the refusals on both paths: each request was refused twice.
    expect([refused('/v1/models/:name/predict'), refused('/v2/models/:name/infer'), refused('/*')]).toEqual([4, 2, 2]);
  });
});
