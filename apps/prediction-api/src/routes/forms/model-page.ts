// A page per model: a form generated from its spec (or, in raw mode, a JSON body to edit), posted to the v1
// predict route, with the prediction and the validation errors shown on the page.
import { modelExampleInstance } from '@onnx-serve/api-contract';
import type { LoadedModel } from '@onnx-serve/inference';
import { html } from 'hono/html';
import { featureField } from './feature-fields';
import { formScript } from './form-script';
import { page, type Html } from './page-layout';

export function modelPage(model: LoadedModel, limits: { maxStringLength?: number }): Html {
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
${spec?.description ? html`<p class="description">${spec.description}</p>` : ''}
<form method="post" action="${action}" data-predict="${spec ? 'features' : 'raw'}" novalidate>
  ${fields}
  <details>
    <summary>API key (only if the server requires one)</summary>
    <div class="field"><label for="api-key">API key</label><input type="password" id="api-key" name="api-key" autocomplete="off" /></div>
  </details>
  <p><button type="submit">Predict</button></p>
  <p id="status" role="status"></p>
  <ul id="form-errors"></ul>
</form>
<section id="result" aria-live="polite" hidden>
  <h2>Prediction</h2>
  <p><span id="result-kind"></span>: <strong id="result-label"></strong></p>
  <h3 id="result-scores-kind"></h3>
  <p id="result-message"></p>
  <p id="result-threshold"></p>
  <table><tbody id="result-scores"></tbody></table>
  <p id="result-defaulted"></p>
  <p id="result-missing"></p>
  <details id="result-details"><summary>Response JSON</summary><pre id="result-json"></pre></details>
</section>
<script>${formScript}</script>`,
  });
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
