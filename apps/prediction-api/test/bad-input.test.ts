// Bad input gets a clear 4xx naming each bad field, in one JSON error shape: never a 500, never a default
// the caller did not ask for.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadBundledModels, postJson, startTestServer, type TestServer } from './test-server';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ registry: await loadBundledModels(), limits: { maxBodyBytes: 4096, maxInstances: 5 } });
});
afterAll(() => server.close());

const iris = { sepal_length: 5.1, sepal_width: 3.5, petal_length: 1.4, petal_width: 0.2 };
const predictIris = (body: unknown) => postJson(`${server.url}/v1/models/iris/predict`, body);

describe('bad input', () => {
  it('rejects a body that is not JSON with 400 invalid_json', async () => {
    const { status, body } = await predictIris('{"instances": [');
    expect(status).toBe(400);
    expect(body.error).toMatchObject({ status: 400, code: 'invalid_json' });
    expect(body.error.message).toMatch(/^request body is not valid JSON: /);
  });

  it('rejects an empty body with 400 invalid_json', async () => {
    const { status, body } = await predictIris('');
    expect(status).toBe(400);
    expect(body.error.message).toBe('request body is not valid JSON: the body is empty');
  });

  it('400 invalid_json for the bare NaN, Infinity and -Infinity of Python\'s json.dumps, saying to send null', async () => {
    const cases = [
      ['{"credit_score": NaN, "note": "NaN in a string is text"}', 'NaN at position 17'],
      ['{"instances": [{"annual_income": Infinity}]}', 'Infinity at position 33'],
      ['{"note": "a \\"quoted\\" -Infinity", "x": -Infinity}', '-Infinity at position 40'],
    ];
    for (const [text, where] of cases) {
      const { status, body, headers } = await postJson(`${server.url}/v1/models/loans-mixed/predict`, text!);
      expect(status, text).toBe(400);
      expect(body, text).toEqual({
        error: {
          status: 400,
          code: 'invalid_json',
          message: `request body is not valid JSON: ${where} is not a JSON value (NaN, Infinity and -Infinity are not); send null for a missing value`,
          requestId: headers.get('x-request-id'),
        },
      });
    }
  });

  it('names a missing feature instead of reading it as 0', async () => {
    const { sepal_width: _omitted, ...missing } = iris;
    const { status, body } = await predictIris({ instances: [iris, missing] });
    expect(status).toBe(422);
    expect(body.error.code).toBe('invalid_features');
    expect(body.error.issues).toEqual([{ path: 'instances[1].sepal_width', message: 'is required' }]);
  });

  it('422 for a null number or string that declares neither missing "nan" nor a default; "NaN" and "" are no stand-ins', async () => {
    const car = { model_year: 2014, mileage_km: null, engine_displacement_l: 2.5, horsepower: 201, curb_weight_kg: 1545, previous_owners: 0 };
    const cars = await postJson(`${server.url}/v1/models/cars-lgbm/predict`, { instances: [car, { ...car, model_year: null, mileage_km: 'NaN' }] });
    expect(cars.status).toBe(422);
    expect(cars.body.error.issues).toEqual([
      { path: 'instances[1].model_year', message: 'is required, got null' },
      { path: 'instances[1].mileage_km', message: 'must be a number ≥ 0, or null when missing, got "NaN"' },
    ]);
    const loan = { annual_income: '', loan_amount: 8100, debt_to_income: 0.433, credit_score: 668, employment_years: 2.4, term: null };
    const loans = await postJson(`${server.url}/v1/models/loans-mixed/predict`, loan);
    expect(loans.status).toBe(422);
    expect(loans.body.error.issues).toEqual([
      { path: 'annual_income', message: 'must be a number ≥ 0, or null when missing, got ""' },
      { path: 'term', message: 'is required, got null' },
    ]);
  });

  it('names every wrong field of every instance', async () => {
    const { status, body } = await predictIris({
      instances: [{ ...iris, sepal_length: 'five' }, { ...iris, petal_width: true, sepal_lenght: 5 }],
    });
    expect(status).toBe(422);
    expect(body.error.issues.map((i: { path: string }) => i.path)).toEqual([
      'instances[0].sepal_length',
      'instances[1].petal_width',
      'instances[1].sepal_lenght',
    ]);
    expect(body.error.message).toMatch(/^3 invalid fields: instances\[0\]\.sepal_length /);
  });

  it('rejects more instances than the limit', async () => {
    const { status, body } = await predictIris({ instances: Array.from({ length: 6 }, () => iris) });
    expect(status).toBe(422);
    expect(body.error.issues[0].path).toBe('instances');
  });

  it('rejects a body over the size limit with 413', async () => {
    const { status, body } = await predictIris({ instances: [{ ...iris, padding: 'x'.repeat(5000) }] });
    expect(status).toBe(413);
    expect(body.error).toMatchObject({ status: 413, code: 'payload_too_large' });
  });

  it('fills a declared default only where the spec has one, and says so per prediction', async () => {
    const { status, body } = await postJson(`${server.url}/v1/models/disaster-tweets/predict`, {
      instances: [{ text: 'massive flood hits the city tonight' }, { keyword: 'flood', location: 'Mumbai', text: 'flood' }],
    });
    expect(status).toBe(200);
    expect(body.predictions[0].defaulted).toEqual(['keyword', 'location']);
    expect(body.predictions[1].defaulted).toBeUndefined();
  });

  it('never answers bad input with a 5xx', async () => {
    const bodies: unknown[] = [null, 42, 'text', [], [iris], { instances: null }, { instances: {} }, { instances: [null] }, { instances: [[1, 2, 3, 4]] }];
    const answers: [string, number, string][] = [];
    for (const body of bodies) {
      const res = await predictIris(JSON.stringify(body));
      answers.push([JSON.stringify(body), res.status, res.body.error.code]);
    }
    // Each is JSON that is not an instances body: a 422 naming the body, never a 5xx.
    expect(answers).toEqual(bodies.map((body) => [JSON.stringify(body), 422, 'invalid_features']));
  });
});
