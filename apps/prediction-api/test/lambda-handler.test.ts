// The Lambda handler from source over the real app and the bundled models: each front door's event shape
// (REST payload v1 on execute-api and behind a custom domain, HTTP API payload v2 on a named stage, Function
// URL) gets the same answer the node server gives for the same request, base64 bodies and stages included.
import { functionUrlEvent, httpApiEvent, lambdaContext, restApiEvent, type HttpRequest } from '@onnx-serve/testing';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLambdaHandler, type LambdaHandler } from '../src/aws-lambda/lambda-handler';
import { sourceLambdaHandler } from './lambda-source';
import { binaryBody, fp32Bytes, readAnswer, readInt64 } from './v2-binary';
import { loadBundledModels, startTestServer, type TestServer } from './test-server';

const setosa = { sepal_length: 5.1, sepal_width: 3.5, petal_length: 1.4, petal_width: 0.2 };
const predictIris: HttpRequest = {
  method: 'POST',
  path: '/v1/models/iris/predict',
  body: JSON.stringify({ instances: [setosa] }),
  headers: { 'x-request-id': 'req-1' },
};

let reference: TestServer;
let handler: LambdaHandler;
let refreshChecks = 0;

/** What the node server answers to the same request: status and body text. */
async function nodeAnswer(request: HttpRequest): Promise<{ status: number; body: string }> {
  const query = request.query ? `?${new URLSearchParams(request.query)}` : '';
  const res = await fetch(`${reference.url}${request.path}${query}`, {
    method: request.method,
    headers: { 'content-type': 'application/json', ...request.headers },
    body: request.body,
  });
  return { status: res.status, body: await res.text() };
}

beforeAll(async () => {
  const registry = await loadBundledModels();
  reference = await startTestServer({ registry });
  handler = sourceLambdaHandler(registry, async () => void refreshChecks++);
});
afterAll(() => reference.close());

describe('Lambda handler (source)', () => {
  it('answers a REST API event on the execute-api URL of a stage named v1 as the node server does', async () => {
    const expected = await nodeAnswer(predictIris);
    expect(JSON.parse(expected.body).predictions[0].label).toBe('setosa');
    expect(await handler(restApiEvent(predictIris, { stage: 'v1' }), lambdaContext)).toEqual({
      statusCode: 200,
      multiValueHeaders: { 'content-type': ['application/json'], 'x-request-id': ['req-1'] },
      body: expected.body,
      isBase64Encoded: false,
    });
  });

  it('answers a REST API event behind a custom domain whose base path /prod prefixes the path, base64 body and query string', async () => {
    const request = { ...predictIris, base64: true, query: { explain: 'false' } };
    const event = restApiEvent(request, { stage: 'prod', basePath: 'prod' });
    expect(event.path).toBe('/prod/v1/models/iris/predict');
    expect(await handler(event, lambdaContext)).toEqual({
      statusCode: 200,
      multiValueHeaders: { 'content-type': ['application/json'], 'x-request-id': ['req-1'] },
      body: (await nodeAnswer(request)).body,
      isBase64Encoded: false,
    });
  });

  it('answers an HTTP API (payload v2) event whose rawPath carries the stage /prod, base64 body and query string', async () => {
    const request = { ...predictIris, base64: true, query: { explain: 'false' } };
    const event = httpApiEvent(request, { stage: 'prod' });
    expect(event.rawPath).toBe('/prod/v1/models/iris/predict');
    expect(await handler(event, lambdaContext)).toEqual({
      statusCode: 200,
      headers: { 'content-type': 'application/json', 'x-request-id': 'req-1' },
      body: (await nodeAnswer(request)).body,
      isBase64Encoded: false,
    });
  });

  // The REST API treats every media type as binary (keyed-rest-api.ts), as HTTP APIs do by themselves.
  it.each([
    ['an HTTP API', httpApiEvent],
    ['a REST API', restApiEvent],
  ])('answers a binary tensor request from %s (base64 in the event) with binary outputs, base64-encoded as the adapter must', async (_, eventOf) => {
    const header = { inputs: [{ name: 'X', shape: [1, 4], datatype: 'FP32', parameters: { binary_data_size: 16 } }], parameters: { binary_data_output: true } };
    const { body, headerLength } = binaryBody(header, [fp32Bytes([5.1, 3.5, 1.4, 0.2])]);
    const request: HttpRequest = { method: 'POST', path: '/v2/models/iris/infer', body, base64: true, headers: { 'inference-header-content-length': String(headerLength) } };
    const result = await handler(eventOf(request, { stage: 'prod' }), lambdaContext);
    expect(result).toMatchObject({ statusCode: 200, isBase64Encoded: true });
    // A REST API answer carries its headers as lists.
    const headers = result.headers ?? Object.fromEntries(Object.entries(result.multiValueHeaders ?? {}).map(([name, values]) => [name, values.join(', ')]));
    expect(headers).toMatchObject({ 'content-type': 'application/octet-stream' });
    const answer = await readAnswer(new Response(Buffer.from(result.body, 'base64'), { headers: headers as Record<string, string> }));
    expect(answer.body.outputs.map((o: { name: string; parameters: object }) => [o.name, o.parameters])).toEqual([
      ['output_label', { binary_data_size: 8 }],
      ['output_probability', { binary_data_size: 12 }],
    ]);
    expect(readInt64(answer.binary['output_label']!)).toEqual([0]);
  });

  it('answers a Function URL event, and an unknown route with the 404 envelope naming the path the app saw', async () => {
    expect(await handler(functionUrlEvent(predictIris), lambdaContext)).toEqual({
      statusCode: 200,
      headers: { 'content-type': 'application/json', 'x-request-id': 'req-1' },
      body: (await nodeAnswer(predictIris)).body,
      isBase64Encoded: false,
    });
    const unknown: HttpRequest = { method: 'GET', path: '/v1/nope', headers: { 'x-request-id': 'req-2' } };
    const result = await handler(httpApiEvent(unknown, { stage: 'prod' }), lambdaContext);
    expect(result.statusCode).toBe(404);
    expect(JSON.parse(result.body)).toEqual({
      error: { status: 404, code: 'not_found', message: 'no route for GET /v1/nope', requestId: 'req-2' },
    });
  });

  it('answers bad features with 422 naming the field, never a 500', async () => {
    const request: HttpRequest = {
      ...predictIris,
      body: JSON.stringify({ instances: [{ ...setosa, petal_width: 'wide' }] }),
      base64: true,
    };
    const result = await handler(restApiEvent(request, { stage: 'v1' }), lambdaContext);
    expect(result.statusCode).toBe(422);
    expect(result.body).toBe((await nodeAnswer(request)).body);
    expect(JSON.parse(result.body).error.issues[0].path).toBe('instances[0].petal_width');
  });

  it('serves the public /health resource of a REST API behind a custom domain base path', async () => {
    const event = { ...restApiEvent({ method: 'GET', path: '/health' }, { stage: 'prod', basePath: 'prod' }), resource: '/health', pathParameters: null };
    const result = await handler(event, lambdaContext);
    expect([result.statusCode, JSON.parse(result.body)]).toEqual([200, { status: 'ok' }]);
  });

  it('checks the models for changes once per invocation', async () => {
    const before = refreshChecks;
    await handler(functionUrlEvent({ method: 'GET', path: '/health' }), lambdaContext);
    await handler(functionUrlEvent({ method: 'GET', path: '/health' }), lambdaContext);
    expect(refreshChecks - before).toBe(2);
  });
});

describe('Lambda handler: query strings and stage prefixes reach the app intact', () => {
  const echo = new Hono().get('*', (c) => c.json({ path: c.req.path, query: c.req.queries() }));
  const echoHandler = createLambdaHandler(echo, { refreshIfDue: async () => undefined });
  const request: HttpRequest = { method: 'GET', path: '/v1/models', query: { a: '1', b: 'x y' } };
  const seen = { path: '/v1/models', query: { a: ['1'], b: ['x y'] } };

  it.each([
    ['REST on execute-api, stage v1', restApiEvent(request, { stage: 'v1' })],
    ['REST behind a custom domain, base path prod', restApiEvent(request, { stage: 'prod', basePath: 'prod' })],
    ['HTTP API, stage prod', httpApiEvent(request, { stage: 'prod' })],
    ['HTTP API, stage v1', httpApiEvent(request, { stage: 'v1' })],
    ['Function URL', functionUrlEvent(request)],
  ])('%s', async (_, event) => {
    const result = await echoHandler(event, lambdaContext);
    expect(JSON.parse(result.body)).toEqual(seen);
  });
});
