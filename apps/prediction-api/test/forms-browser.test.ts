// The model pages in a real browser: headless Chromium fills each form, submits it, and reads what a person would
// see: the prediction (checked against the typed client's answer for the same instance) or the server's
// validation message beside the field it names. Swagger UI at /docs renders with nothing fetched from elsewhere.
import { createPredictionClient, type ClassPrediction } from '@onnx-serve/api-contract';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bareModelStore } from './bare-models';
import { specVariantStore, strictLoans } from './spec-variants';
import { launchChromium, type Browser } from './browser';
import { loadBundledModels, startTestServer, type TestServer } from './test-server';

let server: TestServer;
// Awaited by each test, so a missing Chromium fails every test with its message (a failing hook would skip them).
let launched: Promise<Browser>;
beforeAll(async () => {
  launched = launchChromium();
  launched.catch(() => undefined);
  server = await startTestServer({ registry: await loadBundledModels() });
});
afterAll(async () => {
  await (await launched.catch(() => undefined))?.close();
  await server?.close();
});

async function newPage(): Promise<Page> {
  return (await launched).context.newPage();
}

const iris = { sepal_length: 5.9, sepal_width: 3.0, petal_length: 5.1, petal_width: 1.8 };

async function openForm(path: string): Promise<Page> {
  const page = await newPage();
  const response = await page.goto(`${server.url}${path}`);
  expect(response?.status()).toBe(200);
  return page;
}

async function fill(page: Page, values: Record<string, string | number>) {
  for (const [name, value] of Object.entries(values)) await page.fill(`[name="${name}"]`, String(value));
}

async function submitAndReadPrediction(page: Page) {
  await page.click('button[type=submit]');
  await page.waitForSelector('#result:not([hidden])');
  return {
    kind: await page.textContent('#result-kind'),
    label: await page.textContent('#result-label'),
    scoresKind: await page.textContent('#result-scores-kind'),
    scores: await page.$$eval('#result-scores tr', (rows) =>
      rows.map((row) => [row.cells[0]!.textContent, Number(row.cells[1]!.textContent)] as const),
    ),
  };
}

/** What the page shows for each class, against the API's own numbers (the page rounds to 4 decimals). */
function expectShownScores(shown: (readonly [string | null, number])[], expected: Record<string, number>) {
  expect(shown.map(([name]) => name)).toEqual(Object.keys(expected));
  for (const [name, value] of shown) expect(value).toBeCloseTo(expected[name!]!, 4);
}

describe('model forms in headless Chromium', () => {
  it('iris: filling the four measurements and submitting shows the label and each class probability', async () => {
    const page = await openForm('/models/iris');
    await fill(page, iris);
    const shown = await submitAndReadPrediction(page);
    const [expected] = (await createPredictionClient({ baseUrl: server.url }).predict('iris', iris)).predictions as ClassPrediction[];
    expect(shown.kind).toBe('Label');
    expect(shown.label).toBe(expected!.label);
    expect(shown.label).toBe('virginica');
    expect(shown.scoresKind).toBe('Probabilities');
    expectShownScores(shown.scores, expected!.probabilities!);
    await page.close();
  });

  it('iris: an out-of-range value and a missing one are refused, each message beside its field', async () => {
    const page = await openForm('/models/iris');
    await fill(page, { ...iris, petal_length: 11, sepal_width: '' });
    await page.click('button[type=submit]');
    await page.waitForSelector('[data-error-for="petal_length"]:not(:empty)');
    const errors = await page.$$eval('[data-error-for]', (slots) =>
      slots.map((slot) => [slot.getAttribute('data-error-for'), slot.textContent] as const),
    );
    expect(errors).toEqual([
      ['sepal_length', ''],
      ['sepal_width', 'is required'],
      ['petal_length', 'must be a number ≥ 0 and ≤ 10, got 11'],
      ['petal_width', ''],
    ]);
    expect(await page.getAttribute('[data-field="petal_length"]', 'class')).toBe('field invalid');
    expect(await page.textContent('#status')).toBe(
      '2 invalid fields: sepal_width is required; petal_length must be a number ≥ 0 and ≤ 10, got 11',
    );
    expect(await page.isHidden('#result')).toBe(true);

    // Corrected, the same form predicts and the messages go away.
    await fill(page, { petal_length: iris.petal_length, sepal_width: iris.sepal_width });
    expect((await submitAndReadPrediction(page)).label).toBe('virginica');
    expect(await page.$$eval('[data-error-for]:not(:empty)', (slots) => slots.length)).toBe(0);
    await page.close();
  });

  it('disaster-tweets: the three text fields go in as typed and the prediction comes back', async () => {
    const page = await openForm('/models/disaster-tweets');
    expect(await page.$eval('#field-text', (el) => [el.tagName, el.getAttribute('maxlength')])).toEqual(['TEXTAREA', '1000']);
    expect(await page.$eval('#field-keyword', (el) => [el.tagName, el.getAttribute('maxlength')])).toEqual(['INPUT', '100']);
    const tweet = { keyword: 'flood', location: 'Mumbai', text: 'massive flood hits Mumbai tonight, stay safe' };
    await fill(page, tweet);
    const shown = await submitAndReadPrediction(page);
    const [expected] = (await createPredictionClient({ baseUrl: server.url }).predict('disaster-tweets', tweet))
      .predictions as ClassPrediction[];
    expect(shown.label).toBe(expected!.label);
    expectShownScores(shown.scores, expected!.probabilities!);
    await page.close();
  });

  it('sentiment: a decision-function model shows its score as a decision score, not a probability', async () => {
    const page = await openForm('/models/sentiment');
    await fill(page, { review_text: 'the acting was brilliant' });
    const shown = await submitAndReadPrediction(page);
    const [expected] = (await createPredictionClient({ baseUrl: server.url }).predict('sentiment', { review_text: 'the acting was brilliant' }))
      .predictions as ClassPrediction[];
    expect(shown.label).toBe(expected!.label);
    expect(shown.scoresKind).toBe('Decision scores');
    expectShownScores(shown.scores, expected!.scores!);
    await page.close();
  });

  it('loans-mixed: a number left empty is sent missing, fed as NaN, and the page says so', async () => {
    const page = await openForm('/models/loans-mixed');
    expect(await page.$eval('#field-credit_score', (el) => el.hasAttribute('required'))).toBe(false);
    const loan = { annual_income: 41519, loan_amount: 8600, debt_to_income: 0.497, employment_years: 2, loan_purpose: 'wedding' };
    await fill(page, loan);
    await page.selectOption('#field-term', JSON.stringify('60 months'));
    const shown = await submitAndReadPrediction(page);
    const client = createPredictionClient({ baseUrl: server.url });
    const [expected] = (await client.predict('loans-mixed', { ...loan, home_ownership: '', term: '60 months' }))
      .predictions as ClassPrediction[];
    expect(expected!.missing).toEqual(['credit_score']);
    expect(shown.label).toBe(expected!.label);
    expectShownScores(shown.scores, expected!.probabilities!);
    expect(await page.textContent('#result-missing')).toBe('Missing, fed to the model as NaN: credit_score');
    expect([await page.textContent('#result-message'), await page.textContent('#result-threshold')]).toEqual(['', '']);
    await page.close();
  });

  it('/docs renders Swagger UI with every operation, fetching nothing but this server', async () => {
    const page = await newPage();
    const requested: string[] = [];
    page.on('request', (request) => requested.push(request.url()));
    await page.goto(`${server.url}/docs`);
    await page.waitForSelector('.opblock-summary-path');
    const paths = await page.$$eval('.opblock-summary-path', (els) => els.map((el) => el.getAttribute('data-path')));
    expect(paths).toContain('/v1/models/iris/predict');
    expect(paths).toContain('/v1/models/disaster-tweets/versions/1/predict');
    expect(requested.filter((url) => !url.startsWith(server.url))).toEqual([]);
    expect(requested).toContain(`${server.url}/openapi.json`);
    await page.close();
  });
});

describe('a raw-mode model page in headless Chromium', () => {
  let rawServer: TestServer;
  const store = bareModelStore({ 'iris-zipmap.onnx': 'iris' });
  beforeAll(async () => {
    rawServer = await startTestServer({ registry: await store.load() });
  });
  afterAll(async () => {
    await rawServer?.close();
    store.remove();
  });

  it('submits the prefilled JSON body and shows the outputs; a row of the wrong shape is refused with its path', async () => {
    const page = await newPage();
    await page.goto(`${rawServer.url}/models/iris-zipmap`);
    await page.click('button[type=submit]');
    await page.waitForSelector('#result:not([hidden])');
    expect(await page.textContent('#result-kind')).toBe('Outputs, by ONNX name');
    const shown = JSON.parse((await page.textContent('#result-json'))!);
    expect(Object.keys(shown.predictions[0])).toEqual(['output_label', 'output_probability']);

    await page.fill('#raw-body', '{"instances": [[1, 2, 3]]}');
    await page.click('button[type=submit]');
    await page.waitForSelector('#form-errors li');
    expect(await page.$$eval('#form-errors li', (items) => items.map((item) => item.textContent))).toEqual([
      'instances[0]: must be float32 of shape [4]; the row has 3 elements, expected 4',
    ]);
    await page.close();
  });
});

describe('a spec with a threshold and messages in headless Chromium', () => {
  let strictServer: TestServer;
  const store = specVariantStore({ 'loans-strict': strictLoans });
  beforeAll(async () => {
    strictServer = await startTestServer({ registry: await store.load() });
  });
  afterAll(async () => {
    await strictServer?.close();
    store.remove();
  });

  it('shows the class\'s message and that the threshold, not the model, decided the label', async () => {
    // Golden row 27: P(defaulted) 0.431, which the model calls repaid and the 0.4 threshold calls defaulted.
    const loan = {
      annual_income: 48700, loan_amount: 6800, debt_to_income: 0.165, credit_score: 629, employment_years: 4.8,
      home_ownership: 'rent', loan_purpose: 'small_business',
    };
    const [expected] = (await createPredictionClient({ baseUrl: strictServer.url }).predict('loans-strict', { ...loan, term: '60 months' }))
      .predictions as ClassPrediction[];
    expect(expected!.threshold).toEqual({ value: 0.4, modelLabel: 'repaid', changed: true });
    const page = await newPage();
    await page.goto(`${strictServer.url}/models/loans-strict`);
    await fill(page, loan);
    await page.selectOption('#field-term', JSON.stringify('60 months'));
    const shown = await submitAndReadPrediction(page);
    expect(shown.label).toBe('defaulted');
    expect(await page.textContent('#result-message')).toBe(expected!.message);
    expect(expected!.message).toMatch(/^\d+\.\d% chance of default$/);
    expect(await page.textContent('#result-threshold')).toBe('Decided by the threshold 0.4: the model by itself said repaid.');
    await page.close();
  });
});
