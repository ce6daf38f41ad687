// The copy-as-code part of the page script: the request the form just sent, as a curl command, a Python requests
// call and the typed client's call, with the API key as a placeholder; a copy button on each.
// String.raw: the backslashes below are the script's own (shell line continuations, quote escapes).
export const codeScript = String.raw`
const keyPlaceholder = 'YOUR_API_KEY';

/** A shell word in single quotes: each ' closes the quote, is escaped, and reopens it. */
const shellQuote = (text) => "'" + text.split("'").join("'\\''") + "'";

/** A JSON value as a Python literal (None, True, False; JSON strings and numbers are Python's too). */
function pythonLiteral(value, depth) {
  const pad = '    '.repeat(depth + 1);
  const end = '    '.repeat(depth);
  if (value === null) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (Array.isArray(value)) {
    if (value.every((v) => v === null || typeof v !== 'object')) return '[' + value.map((v) => pythonLiteral(v, 0)).join(', ') + ']';
    return '[\n' + value.map((v) => pad + pythonLiteral(v, depth + 1) + ',\n').join('') + end + ']';
  }
  if (typeof value === 'object') {
    const entries = Object.entries(value);
    if (entries.length === 0) return '{}';
    return '{\n' + entries.map(([k, v]) => pad + JSON.stringify(k) + ': ' + pythonLiteral(v, depth + 1) + ',\n').join('') + end + '}';
  }
  return JSON.stringify(value);
}

function curlCommand(url, body) {
  return [
    'curl -s ' + shellQuote(url),
    "-H 'content-type: application/json'",
    '-H ' + shellQuote('x-api-key: ' + keyPlaceholder),
    '-d ' + shellQuote(body),
  ].join(' \\\n  ');
}

function pythonCall(url, sent) {
  return [
    'import requests',
    '',
    'response = requests.post(',
    '    ' + JSON.stringify(url) + ',',
    '    headers={"x-api-key": ' + JSON.stringify(keyPlaceholder) + '},',
    '    json=' + pythonLiteral(sent, 1) + ',',
    '    timeout=30,',
    ')',
    'response.raise_for_status()',
    'print(response.json())',
  ].join('\n');
}

/** The typed client sends {"instances": [...]} itself: a batch goes in as an array, one instance as itself. */
function clientCall(baseUrl, sent) {
  const input = sent && !Array.isArray(sent) && typeof sent === 'object' && Array.isArray(sent.instances) ? sent.instances : sent;
  return [
    'import { createPredictionClient } from "@onnx-serve/api-contract";',
    '',
    'const client = createPredictionClient({ baseUrl: ' + JSON.stringify(baseUrl) + ', apiKey: ' + JSON.stringify(keyPlaceholder) + ' });',
    'const { predictions } = await client.predict(' + JSON.stringify(facts.name) + ', ' + JSON.stringify(input, null, 2) + ');',
    'console.log(predictions);',
  ].join('\n');
}

function showCode(body) {
  let sent;
  try {
    sent = JSON.parse(body);
  } catch {
    sent = undefined;
  }
  // The page is /models/{name}: one level up is the server's root, path prefix included.
  const baseUrl = new URL('../', location.href).href.replace(/\/$/, '');
  const invalid = 'The body is not valid JSON: fix it first.';
  document.getElementById('code-curl').textContent = curlCommand(form.action, body);
  document.getElementById('code-python').textContent = sent === undefined ? invalid : pythonCall(form.action, sent);
  document.getElementById('code-typescript').textContent = sent === undefined ? invalid : clientCall(baseUrl, sent);
  document.getElementById('code-status').textContent = '';
  document.getElementById('code').hidden = false;
}

/** The clipboard API where the page is a secure context (https, localhost); else the selection and execCommand. */
async function copyText(block) {
  if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(block.textContent);
  const range = document.createRange();
  range.selectNodeContents(block);
  const selection = window.getSelection();
  selection.removeAllRanges();
  selection.addRange(range);
  const copied = document.execCommand('copy');
  selection.removeAllRanges();
  if (!copied) throw new Error('the browser refused to copy');
}

for (const button of document.querySelectorAll('[data-copy]')) {
  button.addEventListener('click', async () => {
    const block = document.getElementById(button.dataset.copy);
    const what = document.getElementById(button.dataset.copy + '-title').textContent;
    const note = document.getElementById('code-status');
    try {
      await copyText(block);
      note.textContent = 'Copied the ' + what + ' code.';
    } catch (err) {
      note.textContent = 'Could not copy (' + err.message + '): select the text and copy it by hand.';
    }
  });
}
`;
