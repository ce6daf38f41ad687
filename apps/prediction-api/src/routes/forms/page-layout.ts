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
  button { font: inherit; min-height: 2.5rem; padding: .3rem 1rem; }
  input[type=file] { max-width: 100%; }
  pre { overflow-x: auto; background: #f4f4f4; padding: .5rem; }
  .scroll { overflow-x: auto; }
  .facts { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; }
  .facts dt { font-weight: 600; }
  .facts dd { margin: 0; overflow-wrap: anywhere; }
  @media (max-width: 30rem) { .facts { grid-template-columns: 1fr; } .facts dd { margin-bottom: .4rem; } }
  table.card-features { border-collapse: collapse; font-size: .9rem; }
  table.card-features th, table.card-features td { text-align: left; padding: .2rem .6rem .2rem 0; vertical-align: top; border-bottom: 1px solid #e4e4e4; }
  .bar { display: grid; grid-template-columns: minmax(6rem, 14rem) 1fr 5.5rem; gap: .6rem; align-items: center; margin: .35rem 0; }
  .bar-name { overflow-wrap: anywhere; }
  .bar.winner .bar-name { font-weight: 700; }
  .bar-tag { font-weight: 400; color: #444; }
  .bar-track { position: relative; height: 1.3rem; background: #e6e6e6; }
  .bar-fill { position: absolute; top: 0; bottom: 0; left: 0; background: #7d8fb3; }
  .bar.winner .bar-fill { background: #1f56b0; }
  .bar-fill.negative { background: #a85d00; }
  .bar-zero { position: absolute; left: 50%; top: -3px; bottom: -3px; width: 1px; background: #222; }
  .bar-threshold { position: absolute; top: -5px; bottom: -5px; width: 3px; margin-left: -1px; background: #b00020; }
  .range-marker { position: absolute; top: -4px; bottom: -4px; width: 5px; margin-left: -2px; background: #1f56b0; }
  .bar-value { font-variant-numeric: tabular-nums; text-align: right; }
  .code-head { display: flex; justify-content: space-between; align-items: center; gap: .5rem; }
  .code-head h3 { margin: .6rem 0; font-size: 1rem; }
  #code[hidden], #batch-download[hidden], progress[hidden] { display: none; }
  progress { width: 100%; }
  @media (max-width: 30rem) {
    body { margin: 1rem auto; }
    .bar { grid-template-columns: 1fr 5rem; gap: .2rem .5rem; }
    .bar-name { grid-column: 1 / -1; }
  }
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
