// The index at /: every served model with a link to its form, and the way to the API docs.
import type { LoadedModel } from '@onnx-serve/inference';
import { html } from 'hono/html';
import { page, type Html } from './page-layout';

export function indexPage(models: LoadedModel[]): Html {
  const rows = models.map(
    (model) => html`<tr>
    <td><a href="models/${encodeURIComponent(model.name)}">${model.name}</a></td>
    <td>${model.version}</td>
    <td>${model.spec ? model.spec.outputs.kind : 'raw'}</td>
    <td>${model.spec?.description ?? 'No spec: served in raw mode.'}</td>
  </tr>`,
  );
  return page({
    title: 'ONNX models',
    root: './',
    body: html`<h1>ONNX models</h1>
<p>Pick a model to try it in a form, or see the <a href="docs">API docs</a> and the <a href="openapi.json">OpenAPI document</a>.</p>
<table class="models">
  <thead><tr><th>Model</th><th>Version</th><th>Task</th><th>Description</th></tr></thead>
  <tbody>${rows}</tbody>
</table>`,
  });
}
