// A page per model: its model card, a form generated from its spec (or, in raw mode, a JSON body to edit) posted
// to the v1 predict route, the prediction drawn as bars, the request as code to copy, and a CSV batch.
import { modelExampleInstance } from '@onnx-serve/api-contract';
import type { ModelSpec } from '@onnx-serve/feature-spec';
import type { LoadedModel } from '@onnx-serve/inference';
import { html } from 'hono/html';
import type { ServiceLimits } from '../../service-limits';
import { batchSection } from './batch-section';
import { codeSection } from './code-section';
import { featureField } from './feature-fields';
import { modelCard } from './model-card';
import { pageScript } from './page-script';
import { page, type Html } from './page-layout';

export type PageLimits = Pick<ServiceLimits, 'maxInstances' | 'maxBodyBytes' | 'maxStringLength'>;

export function modelPage(model: LoadedModel, limits: PageLimits): Html {
  const { name, version, spec } = model;
  // Relative to /models/{name}: works under any path prefix.
  const action = `../v1/models/${encodeURIComponent(name)}/predict`;
  const task = spec ? `${spec.outputs.kind}, named features` : 'raw mode: no spec, the body is the ONNX input rows';
  const fields = spec
    ? spec.features.map((feature) => featureField(feature, limits.maxStringLength))
    : rawBodyField(model);
  return page({
    title: `Model ${name}`,
    root: '../',
    body: html`<h1>${name}</h1>
<p>Version ${version} · ${task}</p>
${modelCard(model)}
<h2>Try it</h2>
<form method="post" action="${action}" data-predict="${spec ? 'features' : 'raw'}" data-facts="${JSON.stringify(pageFacts(model, limits))}" novalidate>
  ${fields}
  <details>
    <summary>API key (only if the server requires one)</summary>
    <div class="field"><label for="api-key">API key</label><input type="password" id="api-key" name="api-key" autocomplete="off" /></div>
  </details>
  <p><button type="submit">Predict</button></p>
  <p id="status" role="status" aria-live="polite"></p>
  <ul id="form-errors" role="alert" aria-live="assertive"></ul>
</form>
<section id="result" aria-live="polite" hidden>
  <h2>Prediction</h2>
  <p><span id="result-kind"></span>: <strong id="result-label"></strong></p>
  <div id="result-range"></div>
  <h3 id="result-scores-kind"></h3>
  <p id="result-scale"></p>
  <div id="result-bars"></div>
  <p id="result-message"></p>
  <p id="result-threshold"></p>
  <p id="result-defaulted"></p>
  <p id="result-missing"></p>
  <details id="result-details"><summary>Response JSON</summary><pre id="result-json"></pre></details>
</section>
${codeSection()}
${spec ? batchSection(name) : ''}
<script src="../assets/papaparse.min.js"></script>
<script>${pageScript}</script>`,
  });
}

/** What the page script needs of the spec and the server, as JSON in a data attribute (escaped by hono/html). */
function pageFacts(model: LoadedModel, limits: PageLimits) {
  const { spec } = model;
  return {
    name: model.name,
    features: spec?.features.map((f) => ({ name: f.name, required: f.default === undefined && f.missing === undefined })) ?? [],
    outputs: spec ? outputFacts(spec.outputs) : null,
    maxInstances: limits.maxInstances,
    maxBodyBytes: limits.maxBodyBytes,
  };
}

function outputFacts(outputs: ModelSpec['outputs']) {
  return outputs.kind === 'regression'
    ? { kind: outputs.kind, unit: outputs.unit ?? null, trainingRange: outputs.trainingRange ?? null }
    : { kind: outputs.kind, classes: outputs.classes, scoreKind: outputs.scoreKind, threshold: outputs.threshold ?? null };
}

function rawBodyField(model: LoadedModel): Html {
  const example = JSON.stringify({ instances: [modelExampleInstance(model)] }, null, 2);
  const inputs = model.signature.inputs.map((input) => `${input.name}: ${input.dtype} [${input.shape.map((d) => d ?? 'N').join(', ')}]`);
  return html`<div class="field" data-field="raw-body">
  <label for="raw-body">Request body (JSON)</label>
  <textarea id="raw-body" name="raw-body" rows="8" spellcheck="false">${example}</textarea>
  <small>ONNX inputs: ${inputs.join('; ')}</small>
</div>`;
}
