// The model card at the top of a model page: what the model is (description, task, classes, features with their
// types, units, ranges and defaults), which file is served (version, sha256, when it loaded), whether its golden
// rows verified and against what tolerance, and the example request.
import { modelExampleInstance } from '@onnx-serve/api-contract';
import type { FeatureSpec, ModelSpec } from '@onnx-serve/feature-spec';
import type { LoadedModel } from '@onnx-serve/inference';
import { html } from 'hono/html';
import type { Html } from './page-layout';

export function modelCard(model: LoadedModel): Html {
  const { spec } = model;
  const example = JSON.stringify({ instances: [modelExampleInstance(model)] }, null, 2);
  return html`<section id="model-card" aria-labelledby="model-card-title">
  <h2 id="model-card-title">Model card</h2>
  ${spec?.description ? html`<p class="description">${spec.description}</p>` : ''}
  <dl class="facts">
    <dt>Task</dt><dd id="card-task">${spec ? task(spec.outputs) : 'raw mode: no spec.json, the request is the ONNX input rows'}</dd>
    <dt>Version</dt><dd id="card-version">${model.version}</dd>
    <dt>sha256</dt><dd><code id="card-sha256">${model.sha256}</code></dd>
    <dt>Loaded</dt><dd><time id="card-loaded" datetime="${model.loadedAt}">${model.loadedAt.replace('T', ' ').replace(/\.\d+Z$/, ' UTC')}</time></dd>
    <dt>Golden rows</dt><dd id="card-golden">${goldenVerdict(model.verification)}</dd>
  </dl>
  ${spec ? featureTable(spec.features) : ''}
  <details>
    <summary>Example request</summary>
    <pre id="card-example">${example}</pre>
  </details>
</section>`;
}

function task(outputs: ModelSpec['outputs']): string {
  if (outputs.kind === 'regression') {
    const range = outputs.trainingRange;
    return [
      `regression${outputs.unit ? `, in ${outputs.unit}` : ''}`,
      range ? `training range ${range.minimum} to ${range.maximum}` : '',
    ].filter(Boolean).join(' · ');
  }
  return [
    `classification into ${outputs.classes.join(', ')}`,
    outputs.scoreKind === 'decision' ? 'decision scores (not probabilities)' : 'probabilities',
    outputs.threshold === undefined ? '' : `label ${outputs.classes[1]} when its score reaches ${outputs.threshold}`,
  ].filter(Boolean).join(' · ');
}

function goldenVerdict(verification: LoadedModel['verification']): string {
  if (!verification) return 'none: this version has no golden.json';
  if (verification.status === 'not-checked') return 'not checked (GOLDEN_CHECK=off)';
  const tolerance = `relative ${verification.tolerance.relative}, absolute ${verification.tolerance.absolute}`;
  return verification.status === 'passed'
    ? `verified: ${verification.rows} rows reproduce what Python predicted, within ${tolerance}`
    : `FAILED (served with GOLDEN_CHECK=warn): ${[...verification.failed, ...verification.problems].join('; ')}; tolerance ${tolerance}`;
}

function featureTable(features: FeatureSpec[]): Html {
  const rows = features.map(
    (f) => html`<tr>
      <th scope="row">${f.name}</th><td>${f.type}</td><td>${f.unit ?? ''}</td><td>${range(f)}</td>
      <td>${f.default === undefined ? '' : JSON.stringify(f.default)}</td>
      <td>${f.missing === 'nan' ? 'NaN' : f.default !== undefined ? 'default' : 'refused'}</td>
      <td>${f.description ?? ''}</td>
    </tr>`,
  );
  return html`<details>
  <summary>Features (${features.length}): types, units, ranges, defaults</summary>
  <div class="scroll"><table class="card-features">
    <thead><tr><th scope="col">Name</th><th scope="col">Type</th><th scope="col">Unit</th><th scope="col">Accepts</th><th scope="col">Default</th><th scope="col">If missing</th><th scope="col">Description</th></tr></thead>
    <tbody>${rows}</tbody>
  </table></div>
</details>`;
}

function range(feature: FeatureSpec): string {
  if (feature.enum) return `one of ${feature.enum.map((v) => JSON.stringify(v)).join(', ')}`;
  const { minimum, maximum } = feature;
  if (minimum !== undefined || maximum !== undefined) return `${minimum ?? '−∞'} to ${maximum ?? '∞'}`;
  if (feature.type === 'string' && feature.maxLength !== undefined) return `at most ${feature.maxLength} characters`;
  return '';
}
