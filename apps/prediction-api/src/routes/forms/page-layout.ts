// The frame every HTML page shares: a small stylesheet, a header linking back to the index and the API docs.
// Pages are built with hono/html, which escapes every interpolated value; only fixed strings are marked raw.
import { html, raw } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';

export type Html = HtmlEscapedString | Promise<HtmlEscapedString>;

const styles = raw(`
  body { font: 16px/1.5 system-ui, sans-serif; max-width: 46rem; margin: 2rem auto; padding: 0 1rem; color: #1b1b1b; }
  header nav a { margin-right: 1rem; }
  .field { margin: 1rem 0; }
  .field label { font-weight: 600; display: block; }
  .field small { display: block; color: #555; }
  .field input[type=number], .field input[type=text], .field select, .field textarea { width: 100%; box-sizing: border-box; padding: .3rem; font: inherit; }
  .field textarea { min-height: 5rem; font-family: ui-monospace, monospace; }
  .required { color: #b00020; }
  .error { color: #b00020; margin: .2rem 0 0; }
  .error:empty { display: none; }
  .field.invalid input, .field.invalid select, .field.invalid textarea { border: 2px solid #b00020; }
  #result { border-top: 1px solid #ccc; margin-top: 1.5rem; padding-top: 1rem; }
  #result[hidden] { display: none; }
  #result-scores td { padding: .1rem .8rem .1rem 0; font-variant-numeric: tabular-nums; }
  table.models td, table.models th { text-align: left; padding: .3rem .8rem .3rem 0; vertical-align: top; }
`);

/** `root` is the relative way back to `/` ("./" or "../"): relative links keep working behind a path prefix. */
export function page({ title, root, body }: { title: string; root: './' | '../'; body: Html }): Html {
  return html`<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>${title}</title>
    <style>${styles}</style>
  </head>
  <body>
    <header>
      <nav><a href="${root}">Models</a><a href="${root}docs">API docs</a><a href="${root}openapi.json">OpenAPI</a></nav>
    </header>
    <main>${body}</main>
  </body>
</html>`;
}
