// The HTML pages as served: an index linking every model, a form whose controls follow the spec, everything taken
// from a spec escaped, and the one JSON error envelope for a model that is not served.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalModelStore, loadModels } from '@onnx-serve/inference';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultLimits } from '../src/service-limits';
import { bundledModelDir, getJson, loadBundledModels, startTestServer, type TestServer } from './test-server';

async function getHtml(url: string) {
  const res = await fetch(url);
  return { status: res.status, type: res.headers.get('content-type'), html: await res.text() };
}

/** The opening tag of the element with this id, whitespace collapsed. */
function tagOf(html: string, id: string): string {
  const tag = new RegExp(`<(input|select|textarea)[^>]*\\bid="${id}"[^>]*>`).exec(html)?.[0];
  if (tag === undefined) throw new Error(`no input, select or textarea has id="${id}"`);
  return tag.replace(/\s+/g, ' ');
}

describe('HTML pages over the bundled models', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ registry: await loadBundledModels() });
  });
  afterAll(() => server.close());

  it('GET / lists every model with a relative link to its form', async () => {
    const { status, type, html } = await getHtml(`${server.url}/`);
    expect(status).toBe(200);
    expect(type).toBe('text/html; charset=UTF-8');
    expect([...html.matchAll(/<a href="(models\/[^"]+)">([^<]+)<\/a>/g)].map((m) => [m[1], m[2]])).toEqual([
      ['models/cars-lgbm', 'cars-lgbm'],
      ['models/diabetes', 'diabetes'],
      ['models/disaster-tweets', 'disaster-tweets'],
      ['models/iris', 'iris'],
      ['models/loans-mixed', 'loans-mixed'],
      ['models/sentiment', 'sentiment'],
    ]);
    expect(html).toContain('<a href="docs">API docs</a>');
  });

  it('GET /models/iris: number inputs with the range, any step, the unit and the required mark', async () => {
    const { status, html } = await getHtml(`${server.url}/models/iris`);
    expect(status).toBe(200);
    expect(tagOf(html, 'field-petal_length')).toBe(
      '<input type="number" id="field-petal_length" name="petal_length" data-kind="number" step="any" min="0" max="10" placeholder="1.4" required />',
    );
    expect(html).toContain('<label for="field-petal_length">petal_length (cm) <span class="required" title="required">*</span></label>');
    expect(html).toContain('<p class="error" data-error-for="petal_length" role="alert"></p>');
    expect(html).toContain('<form method="post" action="../v1/models/iris/predict" data-predict="features" data-facts="');
    // What the page script reads: the spec's features and outputs, and the server's limits for CSV batches.
    const facts = /data-facts="([^"]*)"/.exec(html)![1]!.replaceAll('&quot;', '"');
    expect(JSON.parse(facts)).toEqual({
      name: 'iris',
      features: ['sepal_length', 'sepal_width', 'petal_length', 'petal_width'].map((name) => ({ name, required: true })),
      outputs: { kind: 'classification', classes: ['setosa', 'versicolor', 'virginica'], scoreKind: 'probabilities', threshold: null },
      maxInstances: defaultLimits.maxInstances,
      maxBodyBytes: defaultLimits.maxBodyBytes,
    });
  });

  it('GET /models/iris: the model card names the file, when it loaded, its golden verdict and each feature', async () => {
    const { html } = await getHtml(`${server.url}/models/iris`);
    const iris = server.catalog.resolve('iris');
    expect(html).toContain(`<code id="card-sha256">${iris.sha256}</code>`);
    expect(iris.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(html).toContain(`<time id="card-loaded" datetime="${iris.loadedAt}">${iris.loadedAt.slice(0, 10)} `);
    expect(html).toContain('<dd id="card-task">classification into setosa, versicolor, virginica · probabilities</dd>');
    // The fixture store has no golden.json beside the models: the card says so rather than claiming a check.
    expect(html).toContain('<dd id="card-golden">none: this version has no golden.json</dd>');
    expect(html.replace(/\s+/g, ' ')).toContain(
      '<th scope="row">petal_length</th><td>number</td><td>cm</td><td>0 to 10</td> <td></td> <td>refused</td>',
    );
    expect(html).toContain('&quot;petal_length&quot;: 1.4,');
  });

  it('GET /models/{name}/template.csv: the header of feature names and one example row', async () => {
    const res = await fetch(`${server.url}/models/loans-mixed/template.csv`);
    expect([res.status, res.headers.get('content-type'), res.headers.get('content-disposition')]).toEqual([
      200,
      'text/csv; charset=utf-8',
      'attachment; filename="loans-mixed-template.csv"',
    ]);
    expect(await res.text()).toBe(
      'annual_income,loan_amount,debt_to_income,credit_score,employment_years,home_ownership,loan_purpose,term\n' +
        '82002,8100,0.433,668,2.4,mortgage,debt_consolidation,60 months\n',
    );
  });

  it('GET /assets/papaparse.min.js: the CSV parser the pages run, from the installed package; no other file', async () => {
    const res = await fetch(`${server.url}/assets/papaparse.min.js`);
    expect([res.status, res.headers.get('content-type')]).toEqual([200, 'text/javascript; charset=utf-8']);
    expect(await res.text()).toBe(readFileSync(createRequire(import.meta.url).resolve('papaparse/papaparse.min.js'), 'utf8'));
    const other = await getJson(`${server.url}/assets/package.json`);
    expect([other.status, other.body.error.code]).toEqual([404, 'not_found']);
  });

  it('GET /models/disaster-tweets: text inputs and a textarea with their maxlength, defaults prefilled and not required', async () => {
    const { html } = await getHtml(`${server.url}/models/disaster-tweets`);
    expect(tagOf(html, 'field-keyword')).toBe(
      '<input type="text" id="field-keyword" name="keyword" data-kind="string" maxlength="100" placeholder="flood" value="" />',
    );
    expect(tagOf(html, 'field-text')).toBe(
      '<textarea id="field-text" name="text" data-kind="string" maxlength="1000" placeholder="massive flood hits Mumbai tonight, stay safe" required>',
    );
    expect(html).toContain('<label for="field-keyword">keyword</label>');
    expect(html).toContain('at most 100 characters · default &quot;&quot;');
  });

  it('GET /models/cars-lgbm: a number that may be missing is neither required nor starred, and says it goes in as NaN', async () => {
    const { html } = await getHtml(`${server.url}/models/cars-lgbm`);
    expect(tagOf(html, 'field-mileage_km')).toBe(
      '<input type="number" id="field-mileage_km" name="mileage_km" data-kind="number" step="any" min="0" placeholder="35400" />',
    );
    expect(html).toContain('<label for="field-mileage_km">mileage_km (km)</label>');
    expect(html).toContain('from 0 to ∞ km · may be left empty: missing, fed to the model as NaN');
    expect(html).toContain('<label for="field-model_year">model_year <span class="required" title="required">*</span></label>');
  });

  it('an unknown model page is the 404 model_not_found envelope', async () => {
    const { status, body } = await getJson(`${server.url}/models/nope`);
    expect(status).toBe(404);
    expect(body.error).toMatchObject({ status: 404, code: 'model_not_found' });
  });
});

describe('a spec with markup, choices and booleans', () => {
  let server: TestServer;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'form-models-'));
    mkdirSync(join(dir, 'flowers/1'), { recursive: true });
    copyFileSync(join(bundledModelDir, 'iris/1/model.onnx'), join(dir, 'flowers/1/model.onnx'));
    const spec = {
      description: '<script>alert("spec")</script> & friends',
      features: [
        { name: 'sepal_length', type: 'number', enum: [4.5, 5.1], default: 5.1, description: '<img src=x onerror=alert(1)>' },
        { name: 'sepal_width', type: 'integer', minimum: 1, maximum: 5 },
        { name: 'petal_length', type: 'boolean', default: true },
        { name: 'petal_width', type: 'number', unit: '"quoted" cm', enum: [0.2, 1.8], missing: 'nan' },
      ],
      inputs: { kind: 'matrix', input: 'X', dtype: 'float32', columns: ['sepal_length', 'sepal_width', 'petal_length', 'petal_width'] },
      outputs: { kind: 'classification', classes: ['a', 'b', 'c'], labelOutput: 'output_label', scoresOutput: 'output_probability' },
    };
    writeFileSync(join(dir, 'flowers/1/spec.json'), JSON.stringify(spec));
    server = await startTestServer({ registry: await loadModels(new LocalModelStore(dir), {}) });
  });
  afterAll(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('escapes every text taken from the spec, on the form and the index', async () => {
    for (const path of ['/', '/models/flowers']) {
      const { html } = await getHtml(`${server.url}${path}`);
      expect(html).not.toContain('<script>alert');
      expect(html).toContain('&lt;script&gt;alert(&quot;spec&quot;)&lt;/script&gt; &amp; friends');
    }
    const { html } = await getHtml(`${server.url}/models/flowers`);
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('<label for="field-petal_width">petal_width (&quot;quoted&quot; cm)');
  });

  it('offers a select for choices (default selected), a step-1 input for integers, a checkbox for booleans', async () => {
    const { html } = await getHtml(`${server.url}/models/flowers`);
    expect(html.replace(/\s+/g, ' ')).toContain(
      '<select id="field-sepal_length" name="sepal_length" data-kind="choice" ><option value="4.5" >4.5</option><option value="5.1" selected>5.1</option></select>',
    );
    expect(tagOf(html, 'field-sepal_width')).toBe(
      '<input type="number" id="field-sepal_width" name="sepal_width" data-kind="number" step="1" min="1" max="5" required />',
    );
    expect(tagOf(html, 'field-petal_length')).toBe('<input type="checkbox" id="field-petal_length" name="petal_length" data-kind="boolean" checked />');
    // A choice that may be missing offers to leave it unchosen, and is not required.
    expect(html.replace(/\s+/g, ' ')).toContain(
      '<select id="field-petal_width" name="petal_width" data-kind="choice" ><option value="">(missing)</option><option value="0.2" >0.2</option><option value="1.8" >1.8</option></select>',
    );
  });
});
