// "Copy as code": the request the form just made, as curl, Python requests and the typed client, each with a copy
// button. The page script fills the three blocks after each submit; the API key stays a placeholder.
import { html } from 'hono/html';
import type { Html } from './page-layout';

const languages = [
  { id: 'curl', title: 'curl' },
  { id: 'python', title: 'Python (requests)' },
  { id: 'typescript', title: 'TypeScript (@onnx-serve/api-contract)' },
] as const;

export function codeSection(): Html {
  const blocks = languages.map(
    ({ id, title }) => html`<div class="code-block">
    <div class="code-head"><h3 id="code-${id}-title">${title}</h3><button type="button" data-copy="code-${id}" aria-describedby="code-${id}-title">Copy</button></div>
    <pre id="code-${id}" tabindex="0" aria-labelledby="code-${id}-title"></pre>
  </div>`,
  );
  return html`<section id="code" aria-labelledby="code-title" hidden>
  <h2 id="code-title">The same request as code</h2>
  <p>Replace <code>YOUR_API_KEY</code> with a key when the server requires one (otherwise it is ignored).</p>
  ${blocks}
  <p id="code-status" role="status" aria-live="polite"></p>
</section>`;
}
