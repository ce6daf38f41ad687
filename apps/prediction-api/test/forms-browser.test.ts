// The model pages in a real browser: headless Chromium fills each form, submits it, and reads what a person would
// see: the prediction (checked against the typed client's answer for the same instance) or the server's
// validation message beside the field it names. Swagger UI at /docs renders with nothing fetched from elsewhere.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { createPredictionClient, type ClassPrediction } from '@onnx-serve/api-contract';
import { LocalModelStore, loadModels } from '@onnx-serve/inference';
import Papa from 'papaparse';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bareModelStore } from './bare-models';
import { goldenInstances, goldenStore, readGolden, removeGoldenStores, expectClose } from '@onnx-serve/testing';
import { startPrefixProxy, type PrefixProxy } from './prefix-proxy';
import { specVariantStore, strictLoans } from './spec-variants';
import { launchChromium, type Browser } from './browser';
import { loadBundledModels, startTestServer, workspaceRoot, type TestServer } from './test-server';
import { expectProbabilityBars, fill, readBars, submitAndReadPrediction, takeScreenshots } from './form-page';

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

const run = promisify(execFile);

/** From now on, every text the batch's status line shows, in order, in `window.batchNotes`. */
async function recordBatchNotes(page: Page): Promise<void> {
  await page.evaluate(`window.batchNotes = [];
    const note = document.getElementById('batch-status');
    new MutationObserver(() => window.batchNotes.push(note.textContent)).observe(note, { childList: true, characterData: true, subtree: true });`);
}

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
    expectProbabilityBars(shown.bars, expected!);
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

  it('iris by keyboard: every control has its label, Enter submits, errors are announced and focus goes to the first bad field', async () => {
    const page = await openForm('/models/iris');
    // (Browser code as strings: this project's TypeScript has no DOM types.)
    const unlabelled = await page.evaluate("[...document.querySelectorAll('input, select, textarea')].filter((c) => c.labels.length !== 1).map((c) => c.id)");
    expect(unlabelled).toEqual([]);
    expect([await page.getAttribute('#status', 'aria-live'), await page.getAttribute('#form-errors', 'aria-live')]).toEqual(['polite', 'assertive']);
    expect(await page.getAttribute('[data-error-for="petal_length"]', 'role')).toBe('alert');
    // The server lists petal_length's issue before sepal_width's? Whatever its order, focus goes to the form's first.
    await fill(page, { ...iris, petal_length: 11, sepal_width: '' });
    await page.focus('#field-petal_width');
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-error-for="petal_length"]:not(:empty)');
    expect(await page.evaluate('document.activeElement.id')).toBe('field-sepal_width');
    expect(await page.$$eval('[aria-invalid="true"]', (els) => els.map((el) => el.id))).toEqual(['field-sepal_width', 'field-petal_length']);
    // Corrected from the keyboard: Enter again, the prediction, and no field left marked invalid.
    await page.keyboard.type('3');
    await page.fill('#field-petal_length', String(iris.petal_length));
    await page.keyboard.press('Enter');
    await page.waitForSelector('#result:not([hidden])');
    expect(await page.textContent('#result-label')).toBe('virginica');
    expect(await page.$$eval('[aria-invalid]', (els) => els.length)).toBe(0);
    await page.close();
  });

  it('iris: the request as curl (run with the real curl), Python requests and the typed client, each copied by its button', async () => {
    const page = await openForm('/models/iris');
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
    expect(await page.isHidden('#code')).toBe(true);
    await fill(page, iris);
    await submitAndReadPrediction(page);
    const shown = JSON.parse((await page.textContent('#result-json'))!);
    const url = `${server.url}/v1/models/iris/predict`;
    const sent = '{"sepal_length":5.9,"sepal_width":3,"petal_length":5.1,"petal_width":1.8}';
    const curl = (await page.textContent('#code-curl'))!;
    expect(curl).toBe(
      `curl -s '${url}' \\\n  -H 'content-type: application/json' \\\n  -H 'x-api-key: YOUR_API_KEY' \\\n  -d '${sent}'`,
    );
    expect(await page.textContent('#code-python')).toBe(
      ['import requests', '', 'response = requests.post(', `    "${url}",`, '    headers={"x-api-key": "YOUR_API_KEY"},',
        '    json={', '        "sepal_length": 5.9,', '        "sepal_width": 3,', '        "petal_length": 5.1,', '        "petal_width": 1.8,',
        '    },', '    timeout=30,', ')', 'response.raise_for_status()', 'print(response.json())'].join('\n'),
    );
    const typescript = (await page.textContent('#code-typescript'))!;
    expect(typescript).toBe(
      [
        'import { createPredictionClient } from "@onnx-serve/api-contract";',
        '',
        `const client = createPredictionClient({ baseUrl: "${server.url}", apiKey: "YOUR_API_KEY" });`,
        `const { predictions } = await client.predict("iris", ${JSON.stringify(iris, null, 2)});`,
        'console.log(predictions);',
      ].join('\n'),
    );
    for (const [language, code] of [['curl', curl], ['typescript', typescript]] as const) {
      await page.click(`[data-copy="code-${language}"]`);
      await page.waitForSelector('#code-status:not(:empty)');
      expect(await page.evaluate('navigator.clipboard.readText()')).toBe(code);
      expect(await page.textContent('#code-status')).toMatch(/^Copied the (curl|TypeScript \(@onnx-serve\/api-contract\)) code\.$/);
    }
    // What was copied runs: curl in a shell (the open server ignores the placeholder key), the client call with tsx.
    const { stdout } = await run('sh', ['-c', curl]);
    expect(JSON.parse(stdout)).toEqual(shown);
    const snippet = join(mkdtempSync(join(tmpdir(), 'copied-client-')), 'copied.mts');
    writeFileSync(snippet, typescript);
    // Without colours, whatever the runner's FORCE_COLOR: console.log's output is read as text.
    const { FORCE_COLOR: _colour, ...env } = process.env;
    const ran = await run(join(workspaceRoot, 'node_modules/.bin/tsx'), ['--tsconfig', join(workspaceRoot, 'tsconfig.base.json'), snippet], {
      cwd: workspaceRoot,
      env: { ...env, NO_COLOR: '1' },
    });
    expect(ran.stdout).toContain("label: 'virginica'");
    expect(ran.stdout).toContain(`virginica: ${shown.predictions[0].probabilities.virginica}`);
    rmSync(dirname(snippet), { recursive: true, force: true });
    await page.close();
  }, 60_000); // two child processes, tsx compiling the client: slow on a loaded machine

  it('iris at 1200 px and 375 px: nothing wider than the phone, the bars and buttons on screen (screenshots kept)', async () => {
    const page = await openForm('/models/iris');
    await fill(page, iris);
    await submitAndReadPrediction(page);
    await takeScreenshots(page, 'iris');
    await page.setViewportSize({ width: 375, height: 800 });
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(375);
    const outside = await page.$$eval('button, input, select, textarea, .bar-track', (els) =>
      els.filter((el) => el.getBoundingClientRect().right > 375 || el.getBoundingClientRect().width === 0).map((el) => el.id || el.className),
    );
    expect(outside).toEqual([]);
    const bars = await readBars(page);
    expect(bars.map((bar) => bar.winner)).toEqual([false, false, true]);
    expect(bars[2]!.pixel).toBeLessThan(1 / 250); // a track at least 250 px wide on a phone
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
    expectProbabilityBars(shown.bars, expected!);
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
    // One signed score (the positive class's), drawn from the boundary in the middle: right for, left against.
    const score = expected!.scores!['positive']!;
    expect(score).toBeGreaterThan(0);
    expect(shown.bars.map(({ name, printed, winner }) => ({ name, printed, winner }))).toEqual([
      { name: 'positive', printed: `+${score.toFixed(4)}`, winner: expected!.label === 'positive' },
    ]);
    const [bar] = shown.bars;
    expect(Math.abs(bar!.start - 0.5)).toBeLessThanOrEqual(bar!.pixel);
    expect(Math.abs(bar!.width - 0.5)).toBeLessThanOrEqual(1.5 * bar!.pixel); // the largest score shown spans half the track
    expect(await page.textContent('#result-scale')).toMatch(/^Signed decision scores, not probabilities: 0 is the decision boundary/);

    // A review the model is against: the bar goes left of the boundary, printed with its sign.
    await fill(page, { review_text: 'a dull, tedious and badly acted film' });
    const against = await submitAndReadPrediction(page);
    const [negative] = (await createPredictionClient({ baseUrl: server.url }).predict('sentiment', { review_text: 'a dull, tedious and badly acted film' }))
      .predictions as ClassPrediction[];
    const negativeScore = negative!.scores!['positive']!;
    expect([against.label, negativeScore < 0]).toEqual(['negative', true]);
    expect(against.bars[0]!.printed).toBe(negativeScore.toFixed(4));
    expect(Math.abs(against.bars[0]!.start + against.bars[0]!.width - 0.5)).toBeLessThanOrEqual(1.5 * against.bars[0]!.pixel);
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
    expectProbabilityBars(shown.bars, expected!);
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
  // diabetes with the unit and training range of its target (load_diabetes: 25 to 346).
  const store = specVariantStore({
    'loans-strict': strictLoans,
    'diabetes-ranged': { from: 'diabetes', edit: (spec) => ({ ...spec, outputs: { ...spec.outputs, unit: 'points', trainingRange: { minimum: 25, maximum: 346 } } }) },
  });
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
    // The threshold is drawn on the bar it decides on (defaulted's), at 0.4 of the way; that bar is marked the winner.
    expectProbabilityBars(shown.bars, expected!);
    const [repaid, defaulted] = shown.bars;
    expect([repaid!.threshold, defaulted!.title]).toEqual([null, 'defaulted ✓ predicted (threshold 0.4)']);
    expect(Math.abs(defaulted!.threshold! - 0.4)).toBeLessThanOrEqual(1.5 * defaulted!.pixel);
    await takeScreenshots(page, 'loans-threshold');
    await page.close();
  });

  it('a regression value with its unit, and where it falls in the training range', async () => {
    const patient = { age: 0.038, sex: 0.051, bmi: 0.062, bp: 0.022, s1: -0.044, s2: -0.035, s3: -0.043, s4: -0.003, s5: 0.02, s6: -0.018 };
    const [expected] = (await createPredictionClient({ baseUrl: strictServer.url }).predict('diabetes-ranged', patient)).predictions as { value: number }[];
    const page = await newPage();
    await page.goto(`${strictServer.url}/models/diabetes-ranged`);
    expect(await page.textContent('#card-task')).toBe('regression, in points · training range 25 to 346');
    await fill(page, patient);
    const shown = await submitAndReadPrediction(page);
    const value = `${Number(expected!.value.toFixed(4))} points`;
    expect([shown.kind, shown.label, shown.scoresKind, shown.bars]).toEqual(['Value', value, '', []]);
    expect(await page.textContent('#result-range .range-text')).toBe(`${value} is within the training range (25 points to 346 points).`);
    const place = await page.$eval('#result-range', (box) => {
      const track = box.querySelector('.range-track')!.getBoundingClientRect();
      const marker = box.querySelector('.range-marker')!.getBoundingClientRect();
      return { at: (marker.left + 2 - track.left) / track.width, pixel: 1 / track.width };
    });
    expect(Math.abs(place.at - (expected!.value - 25) / (346 - 25))).toBeLessThanOrEqual(1.5 * place.pixel);
    await page.close();
  });
});

describe('CSV batches on a model page, behind a path prefix, in headless Chromium', () => {
  let batchServer: TestServer;
  let proxy: PrefixProxy;
  let gateway: PrefixProxy;
  const golden = readGolden('loans-mixed.golden.json');
  beforeAll(async () => {
    const dir = goldenStore({ 'loans-mixed': 'loans-mixed', iris: 'iris-gb-zipmap' });
    // 10 rows a request: the 33 rows below need four, so the page must chunk within the limit the server sets.
    batchServer = await startTestServer({ registry: await loadModels(new LocalModelStore(dir), {}), limits: { maxInstances: 10 } });
    proxy = await startPrefixProxy(batchServer.url, '/team');
    // A gateway in front with a body limit below the server's, which the page cannot know of.
    gateway = await startPrefixProxy(batchServer.url, '/gateway', { maxBodyBytes: 400 });
  });
  afterAll(async () => {
    await gateway?.close();
    await proxy?.close();
    await batchServer?.close();
    removeGoldenStores();
  });

  /** The golden rows as a spreadsheet would hold them: other column order, an id column, a bad row among them. */
  function goldenCsv(): { csv: string; fields: string[]; rows: Record<string, unknown>[] } {
    const features = golden.features!;
    const fields = ['term', 'applicant_id', ...features.filter((f) => f !== 'term').reverse()];
    const rows: Record<string, unknown>[] = goldenInstances(golden).map((instance, i) => ({ ...instance, applicant_id: `A-${i + 1}` }));
    rows.splice(14, 0, { ...rows[0], credit_score: 900, applicant_id: 'A-bad' });
    const csv = Papa.unparse({ fields, data: rows.map((row) => fields.map((f) => row[f] ?? '')) }, { newline: '\r\n' });
    return { csv, fields, rows };
  }

  it('loans-mixed: the golden rows (missing values as empty cells) come back with the golden predictions; the bad row names its field', async () => {
    const page = await newPage();
    const requested: string[] = [];
    page.on('request', (request) => requested.push(request.url()));
    await page.goto(`${proxy.url}/models/loans-mixed`);
    expect(await page.textContent('#card-golden')).toBe('verified: 32 rows reproduce what Python predicted, within relative 0.0001, absolute 0.000001');

    const { csv, fields, rows } = goldenCsv();
    await page.setInputFiles('#batch-file', { name: 'loans.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await recordBatchNotes(page);
    await page.click('#batch-run');
    await page.waitForSelector('#batch-download:not([hidden])');
    const downloading = page.waitForEvent('download');
    await page.click('#batch-download');
    const download = await downloading;
    expect(download.suggestedFilename()).toBe('loans-mixed-predictions.csv');
    const back = Papa.parse<Record<string, string>>(readFileSync((await download.path())!, 'utf8'), { header: true, skipEmptyLines: true });

    expect(back.errors).toEqual([]);
    expect(back.meta.fields).toEqual([...fields, 'label', 'probability_repaid', 'probability_defaulted', 'error']);
    expect(back.data.map((row) => row['applicant_id'])).toEqual(rows.map((row) => row['applicant_id']));
    let goldenRow = 0;
    for (const [i, row] of back.data.entries()) {
      for (const field of fields) expect(row[field], `row ${i} ${field}`).toBe(String(rows[i]![field] ?? ''));
      if (row['applicant_id'] === 'A-bad') {
        expect([row['label'], row['probability_repaid'], row['probability_defaulted'], row['error']]).toEqual([
          '', '', '', 'credit_score: must be a number ≥ 300 and ≤ 850, or null when missing, got 900',
        ]);
        continue;
      }
      const k = goldenRow++;
      const [repaid, defaulted] = golden.expected['output_probability']![k] as number[];
      expect([row['label'], row['error']], `golden row ${k}`).toEqual([golden.labels![golden.expected['output_label']![k] as number], '']);
      expectClose(Number(row['probability_repaid']), repaid!, `golden row ${k} P(repaid)`);
      expectClose(Number(row['probability_defaulted']), defaulted!, `golden row ${k} P(defaulted)`);
    }
    expect(goldenRow).toBe(32);

    // Progress chunk by chunk; the chunk with the bad row was refused whole (422) and its other 9 rows sent again.
    expect(await page.evaluate('window.batchNotes')).toEqual([
      'Predicting rows 1 to 10 of 33…',
      'Predicting rows 11 to 20 of 33…',
      'Predicting rows 21 to 30 of 33…',
      'Predicting rows 31 to 33 of 33…',
      '33 rows: 32 predicted, 1 refused (the error column says why).',
    ]);
    expect(await page.$$eval('#batch-refused li', (items) => items.map((item) => item.textContent))).toEqual([
      'Row 15: credit_score: must be a number ≥ 300 and ≤ 850, or null when missing, got 900',
    ]);
    expect(await page.$eval('#batch-progress', (bar) => [bar.getAttribute('value'), bar.getAttribute('max')])).toEqual(['33', '33']);
    const predicts = batchServer.logLines.filter((line) => line['path'] === '/v1/models/loans-mixed/predict');
    expect(predicts.map((line) => [line['status'], line['batchSize'] ?? null])).toEqual([
      [200, 10], [422, null], [200, 9], [200, 10], [200, 3],
    ]);
    // Everything came through the prefix: the page, its script's parser, the predictions.
    expect(requested.filter((url) => !url.startsWith(`${proxy.url}/`) && !url.startsWith('blob:'))).toEqual([]);
    expect(requested).toContain(`${proxy.url}/assets/papaparse.min.js`);
    await takeScreenshots(page, 'loans-batch');
    await page.close();
  });

  it('iris: the template downloads and predicts as a batch of one; a CSV without a required column is refused before any request', async () => {
    const page = await newPage();
    await page.goto(`${proxy.url}/models/iris`);
    const downloading = page.waitForEvent('download');
    await page.click('#batch-template');
    const template = await downloading;
    expect(template.suggestedFilename()).toBe('iris-template.csv');
    const text = readFileSync((await template.path())!, 'utf8');
    expect(text).toBe('sepal_length,sepal_width,petal_length,petal_width\n5.1,3.5,1.4,0.2\n');

    await page.setInputFiles('#batch-file', { name: 'iris-template.csv', mimeType: 'text/csv', buffer: Buffer.from(text) });
    await page.click('#batch-run');
    await page.waitForSelector('#batch-download:not([hidden])');
    expect(await page.textContent('#batch-status')).toBe('1 row: 1 predicted, 0 refused.');

    const before = batchServer.logLines.length;
    await page.setInputFiles('#batch-file', { name: 'short.csv', mimeType: 'text/csv', buffer: Buffer.from('sepal_length,sepal_width,petal_length\n5.1,3.5,1.4\n') });
    await page.click('#batch-run');
    await page.waitForFunction("document.getElementById('batch-status').textContent.startsWith('The CSV has no column')");
    expect(await page.textContent('#batch-status')).toBe(
      'The CSV has no column for petal_width (required): its header must name every feature; see the template.',
    );
    expect([await page.isHidden('#batch-download'), await page.evaluate('document.activeElement.id')]).toEqual([true, 'batch-file']);
    expect(batchServer.logLines.slice(before).filter((line) => line['path'] === '/v1/models/iris/predict')).toEqual([]);
    await page.close();
  });

  it('iris behind a gateway with a smaller body limit: each chunk it refuses (413) is split in halves until it passes', async () => {
    const iris = readGolden('iris-gb-zipmap.golden.json');
    const fields = iris.features!;
    const csv = Papa.unparse({ fields, data: iris.rows }, { newline: '\n' });
    const page = await newPage();
    await page.goto(`${gateway.url}/models/iris`);
    const before = batchServer.logLines.length;
    await page.setInputFiles('#batch-file', { name: 'iris.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.click('#batch-run');
    await page.waitForSelector('#batch-download:not([hidden])');
    expect(await page.textContent('#batch-status')).toBe('15 rows: 15 predicted, 0 refused.');
    // The golden rows are ~120 bytes of JSON each: the gateway refuses 10 and 5; the first rows' halves of 3 still
    // do not fit (2 + 1 do), then 3 and 2 pass for the rest. Only what passed the gateway reaches the server's log.
    const sizes = batchServer.logLines.slice(before).filter((line) => line['path'] === '/v1/models/iris/predict').map((line) => line['batchSize']);
    expect(sizes).toEqual([2, 1, 2, 3, 2, 3, 2]);
    const downloading = page.waitForEvent('download');
    await page.click('#batch-download');
    const back = Papa.parse<Record<string, string>>(readFileSync((await (await downloading).path())!, 'utf8'), { header: true, skipEmptyLines: true });
    expect(back.data.map((row) => row['label'])).toEqual(iris.expected['output_label']!.map((k) => iris.labels![k as number]));
    for (const [i, row] of back.data.entries()) {
      iris.labels!.forEach((name, c) => expectClose(Number(row[`probability_${name}`]), (iris.expected['output_probability']![i] as number[])[c]!, `row ${i} ${name}`));
    }
    await page.close();
  });

  it('iris behind a throttling gateway: the batch waits out each 429 for its Retry-After and goes on', async () => {
    const throttling = await startPrefixProxy(batchServer.url, '/throttled', { throttlePosts: 2 });
    const iris = readGolden('iris-gb-zipmap.golden.json');
    const page = await newPage();
    await page.goto(`${throttling.url}/models/iris`);
    await page.setInputFiles('#batch-file', { name: 'iris.csv', mimeType: 'text/csv', buffer: Buffer.from(Papa.unparse({ fields: iris.features!, data: iris.rows })) });
    await recordBatchNotes(page);
    const before = batchServer.logLines.length;
    await page.click('#batch-run');
    await page.waitForSelector('#batch-download:not([hidden])');
    expect(await page.evaluate('window.batchNotes')).toEqual([
      'Predicting rows 1 to 10 of 15…',
      'Rate limited: waiting 1 s before going on…',
      'Rate limited: waiting 1 s before going on…',
      'Predicting rows 11 to 15 of 15…',
      '15 rows: 15 predicted, 0 refused.',
    ]);
    const predicts = batchServer.logLines.slice(before).filter((line) => line['path'] === '/v1/models/iris/predict');
    expect(predicts.map((line) => [line['status'], line['batchSize']])).toEqual([[200, 10], [200, 5]]);
    await page.close();
    await throttling.close();
  });
});
