// The CSV batch of a model page: upload a CSV (a header row of feature names), run it through the v1 predict route
// in chunks, download the rows back with the prediction columns (and an `error` column for refused rows).
// The page script does the work; the template link is served by csv-template.ts.
import { html } from 'hono/html';
import type { Html } from './page-layout';

export function batchSection(name: string): Html {
  return html`<section id="batch" aria-labelledby="batch-title">
  <h2 id="batch-title">A batch from a CSV file</h2>
  <p>A header row of feature names, in any order; other columns are kept and come back as they were; an empty cell is a
  missing value. <a id="batch-template" href="${encodeURIComponent(name)}/template.csv" download>Download a CSV template</a>
  (the header and one example row).</p>
  <div class="field">
    <label for="batch-file">CSV file</label>
    <input type="file" id="batch-file" name="batch-file" accept=".csv,text/csv" />
  </div>
  <p><button type="button" id="batch-run">Predict every row</button></p>
  <progress id="batch-progress" max="1" value="0" hidden aria-labelledby="batch-title"></progress>
  <p id="batch-status" role="status" aria-live="polite"></p>
  <ul id="batch-refused"></ul>
  <p><a id="batch-download" hidden>Download the rows with predictions</a></p>
</section>`;
}
