// The bundled Lambda handler, from a copy of the staged image folder outside the workspace (so only what the
// image holds is reachable), answering real API Gateway REST (v1), HTTP API (v2) and Function URL events
// exactly as the handler built from source does: the example models, the text models included.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LambdaHandler } from '../src/aws-lambda/lambda-handler';
import { functionUrlEvent, httpApiEvent, lambdaContext, restApiEvent, type HttpRequest } from '../test/lambda-events';
import { sourceLambdaHandler } from '../test/lambda-source';
import { stageFixtureImage, removeStagedCopies, startStagedLambda, type StagedLambda } from '../test/staged-image';
import { allFixtureModels, loadBundledModels } from '../test/test-server';

const post = (path: string, instances: unknown[], id: string): HttpRequest => ({
  method: 'POST',
  path,
  body: JSON.stringify({ instances }),
  headers: { 'x-request-id': id },
});
const iris = post('/v1/models/iris/predict', [{ sepal_length: 6.7, sepal_width: 3.0, petal_length: 5.2, petal_width: 2.3 }], 'iris-1');
const sentiment = post('/v1/models/sentiment/predict', [{ review_text: 'a wonderful, moving film' }], 'sentiment-1');
const tweets = post('/v1/models/disaster-tweets/predict', [{ text: 'forest fire near la ronge sask canada' }], 'tweets-1');

let staged: StagedLambda;
let source: LambdaHandler;

beforeAll(async () => {
  const dir = await stageFixtureImage('lambda');
  [staged, source] = await Promise.all([
    startStagedLambda(dir, { LOG_LEVEL: 'info' }),
    loadBundledModels(allFixtureModels).then((registry) => sourceLambdaHandler(registry)),
  ]);
});
afterAll(removeStagedCopies);

describe('staged Lambda image (bundled handler)', () => {
  it('loaded every bundled model during init, the text models with their locale patch', async () => {
    const ready = await staged.logged('models loaded: ready');
    expect(ready['modelDir']).toBe('models');
    const models = ready['models'] as { name: string; patches: string[] }[];
    expect(models.map((m) => m.name)).toEqual(allFixtureModels);
    expect(models.find((m) => m.name === 'sentiment')!.patches.join()).toContain('locale set to C.UTF-8');
  });

  it.each([
    ['REST API (v1), stage v1 on execute-api, base64 body', restApiEvent({ ...iris, base64: true }, { stage: 'v1' })],
    ['REST API (v1), custom domain base path /prod', restApiEvent(sentiment, { stage: 'prod', basePath: 'prod' })],
    ['HTTP API (v2), stage /prod, base64 body and query string', httpApiEvent({ ...tweets, base64: true, query: { trace: '1' } }, { stage: 'prod' })],
    ['Function URL, text model', functionUrlEvent(sentiment)],
    ['Function URL, model list', functionUrlEvent({ method: 'GET', path: '/v1/models', headers: { 'x-request-id': 'list-1' } })],
  ])('answers a %s event as the source handler does', async (_, event) => {
    const expected = await source(event, lambdaContext);
    expect(expected.statusCode).toBe(200);
    expect(await staged.invoke(event)).toEqual(expected);
  });

  it('answers a bad feature value with 422 naming the field', async () => {
    const event = httpApiEvent(post('/v1/models/iris/predict', [{ sepal_length: 'long' }], 'bad-1'), { stage: 'prod' });
    const result = await staged.invoke(event);
    expect(result).toEqual(await source(event, lambdaContext));
    expect(result.statusCode).toBe(422);
    expect(JSON.parse(result.body).error.issues[0]).toEqual({
      path: 'instances[0].sepal_length',
      message: expect.stringContaining('number'),
    });
  });

  it('gives the parsed label the golden answer for iris (virginica)', async () => {
    const result = await staged.invoke(functionUrlEvent(iris));
    expect(JSON.parse(result.body).predictions[0].label).toBe('virginica');
  });
});
