// The bundled Lambda handler, from a copy of the staged image folder outside the workspace (so only what the
// image holds is reachable), answering real API Gateway REST (v1), HTTP API (v2) and Function URL events with the
// recorded answers: the golden files' predictions for the example models, the text models included, and the
// model list and error bodies written out here.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  bundledModelDir,
  expectSamePrediction,
  functionUrlEvent,
  goldenRelativeTolerance,
  httpApiEvent,
  restApiEvent,
  type HttpRequest,
  type LambdaEvent,
} from '@onnx-serve/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exampleAnswers, fixtureModels, type GoldenAnswers } from './golden-answers';
import { stageFixtureImage, removeStagedCopies, startStagedLambda, type StagedLambda } from './staged-image';

const post = (path: string, instances: unknown[], id: string): HttpRequest => ({
  method: 'POST',
  path,
  body: JSON.stringify({ instances }),
  headers: { 'x-request-id': id },
});
/** A request for one golden row, and the body the handler must answer it with. */
const goldenRow = ({ model, instances, predictions }: GoldenAnswers, row: number, id: string) => ({
  request: post(`/v1/models/${model}/predict`, [instances[row]], id),
  answer: { model: { name: model, version: '1' }, predictions: [predictions[row]] },
});
const virginica = exampleAnswers.iris.predictions.findIndex((prediction) => prediction['label'] === 'virginica');
const iris = goldenRow(exampleAnswers.iris, virginica, 'iris-1');
const sentiment = goldenRow(exampleAnswers.sentiment, 0, 'sentiment-1');
const tweets = goldenRow(exampleAnswers['disaster-tweets'], 0, 'tweets-1');

const tasks: Record<string, 'regression' | 'classification'> = {
  'cars-lgbm': 'regression',
  diabetes: 'regression',
  digits: 'classification',
  'disaster-tweets': 'classification',
  iris: 'classification',
  'loans-mixed': 'classification',
  sentiment: 'classification',
  wine: 'classification',
};
const description = (model: string) =>
  (JSON.parse(readFileSync(join(bundledModelDir, model, '1/spec.json'), 'utf8')) as { description: string }).description;
const modelList = {
  models: Object.entries(tasks).map(([name, task]) => ({ name, version: '1', versions: ['1'], mode: 'features', task, description: description(name) })),
};

/** The headers of a JSON answer: single values for payload v2, lists for the REST API's payload v1. */
function jsonHeaders(event: LambdaEvent, requestId: string): Record<string, unknown> {
  const headers = { 'content-type': 'application/json', 'x-request-id': requestId };
  if (!('httpMethod' in event)) return { headers };
  return { multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, [value]])) };
}

let staged: StagedLambda;

beforeAll(async () => {
  staged = await startStagedLambda(await stageFixtureImage('lambda'), { LOG_LEVEL: 'info' });
});
afterAll(removeStagedCopies);

describe('staged Lambda image (bundled handler)', () => {
  it('loaded every bundled model during init, the text models with their locale patch', async () => {
    const ready = await staged.logged('models loaded: ready');
    expect(ready['modelDir']).toBe('models');
    const models = ready['models'] as { name: string; patches: string[] }[];
    expect(models.map((m) => m.name)).toEqual(fixtureModels);
    expect(models.find((m) => m.name === 'sentiment')!.patches.join()).toContain('locale set to C.UTF-8');
  });

  it.each([
    ['REST API (v1), stage v1 on execute-api, base64 body', restApiEvent({ ...iris.request, base64: true }, { stage: 'v1' }), 'iris-1', iris.answer],
    ['REST API (v1), custom domain base path /prod', restApiEvent(sentiment.request, { stage: 'prod', basePath: 'prod' }), 'sentiment-1', sentiment.answer],
    [
      'HTTP API (v2), stage /prod, base64 body and query string',
      httpApiEvent({ ...tweets.request, base64: true, query: { trace: '1' } }, { stage: 'prod' }),
      'tweets-1',
      tweets.answer,
    ],
    ['Function URL, text model', functionUrlEvent(sentiment.request), 'sentiment-1', sentiment.answer],
    ['Function URL, model list', functionUrlEvent({ method: 'GET', path: '/v1/models', headers: { 'x-request-id': 'list-1' } }), 'list-1', modelList],
  ] as [string, LambdaEvent, string, unknown][])('answers a %s event with the recorded answer', async (_, event, requestId, answer) => {
    const { body, ...result } = await staged.invoke(event);
    expect(result).toEqual({ statusCode: 200, isBase64Encoded: false, ...jsonHeaders(event, requestId) });
    expectSamePrediction(JSON.parse(body), answer, requestId, goldenRelativeTolerance);
  });

  it('answers a bad feature value with 422 naming the field, in the one error shape', async () => {
    const event = httpApiEvent(post('/v1/models/iris/predict', [{ sepal_length: 'long' }], 'bad-1'), { stage: 'prod' });
    const { body, ...result } = await staged.invoke(event);
    expect(result).toEqual({ statusCode: 422, isBase64Encoded: false, ...jsonHeaders(event, 'bad-1') });
    const required = ['sepal_width', 'petal_length', 'petal_width'].map((name) => ({ path: `instances[0].${name}`, message: 'is required' }));
    const issues = [{ path: 'instances[0].sepal_length', message: 'must be a number ≥ 0 and ≤ 10, got "long"' }, ...required];
    expect(JSON.parse(body)).toEqual({
      error: {
        status: 422,
        code: 'invalid_features',
        message: `4 invalid fields: ${issues.map((issue) => `${issue.path} ${issue.message}`).join('; ')}`,
        issues,
        requestId: 'bad-1',
      },
    });
  });

  it('gives the parsed label the golden answer for iris (virginica)', async () => {
    const result = await staged.invoke(functionUrlEvent(iris.request));
    expect(JSON.parse(result.body).predictions[0].label).toBe('virginica');
  });
});
