// The one script of the model pages, in parts that share its top-level names (one classic <script>): the form and
// its errors, the prediction as bars, the request as code, the CSV batch. Each part is a fixed string (nothing is
// interpolated into it) and writes to the page only through textContent and style; the page's facts (spec,
// limits) come from the form's data-facts attribute.
import { raw } from 'hono/html';
import { barsScript } from './bars-script';
import { batchScript } from './batch-script';
import { codeScript } from './code-script';
import { formScript } from './form-script';

export const pageScript = raw([formScript, barsScript, codeScript, batchScript].join('\n'));
