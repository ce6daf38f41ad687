// The one script of the model pages: reads the form into JSON, posts it to the v1 predict route, and shows the
// prediction, or each validation issue beside the field it names. It is a fixed string (nothing is interpolated
// into it) and writes to the page only through textContent.
import { raw } from 'hono/html';

export const formScript = raw(`
const form = document.querySelector('form[data-predict]');
const result = document.getElementById('result');
const status = document.getElementById('status');
const formErrors = document.getElementById('form-errors');

function readInstance() {
  const instance = {};
  for (const field of form.querySelectorAll('[data-kind]')) {
    const kind = field.dataset.kind;
    if (kind === 'boolean') instance[field.name] = field.checked;
    else if (kind === 'choice') { if (field.value !== '') instance[field.name] = JSON.parse(field.value); }
    // Left empty: not sent, so the server fills the default or says the feature is required.
    else if (kind === 'number') { if (field.value.trim() !== '') instance[field.name] = Number(field.value); }
    else instance[field.name] = field.value;
  }
  return JSON.stringify(instance);
}

function clearErrors() {
  for (const slot of form.querySelectorAll('[data-error-for]')) slot.textContent = '';
  for (const field of form.querySelectorAll('.field.invalid')) field.classList.remove('invalid');
  formErrors.replaceChildren();
}

function showIssues(error) {
  for (const issue of error.issues || []) {
    const slot = [...form.querySelectorAll('[data-error-for]')].find((s) => s.dataset.errorFor === issue.path);
    if (slot) {
      slot.textContent = issue.message;
      slot.closest('.field').classList.add('invalid');
    } else {
      const item = document.createElement('li');
      item.textContent = issue.path + ': ' + issue.message;
      formErrors.append(item);
    }
  }
  if (!error.issues || error.issues.length === 0) {
    const item = document.createElement('li');
    item.textContent = error.message;
    formErrors.append(item);
  }
}

function showPrediction(body) {
  const prediction = body.predictions[0];
  const raw = form.dataset.predict === 'raw';
  const scores = raw ? undefined : prediction.probabilities || prediction.scores;
  document.getElementById('result-kind').textContent = raw ? 'Outputs, by ONNX name' : 'value' in prediction ? 'Value' : 'Label';
  document.getElementById('result-label').textContent = raw ? '' : String('value' in prediction ? prediction.value : prediction.label);
  document.getElementById('result-scores-kind').textContent = !scores ? '' : prediction.scores ? 'Decision scores' : 'Probabilities';
  const rows = document.getElementById('result-scores');
  rows.replaceChildren();
  for (const [name, score] of Object.entries(scores || {})) {
    const row = rows.insertRow();
    row.dataset.class = name;
    row.insertCell().textContent = name;
    row.insertCell().textContent = score.toFixed(4);
  }
  document.getElementById('result-message').textContent = prediction.message || '';
  const threshold = prediction.threshold;
  document.getElementById('result-threshold').textContent = !threshold ? ''
    : threshold.changed ? 'Decided by the threshold ' + threshold.value + ': the model by itself said ' + threshold.modelLabel + '.'
    : 'Threshold ' + threshold.value + ': the model by itself said the same.';
  const listed = (names, title) => (names && names.length ? title + names.join(', ') : '');
  document.getElementById('result-defaulted').textContent = listed(prediction.defaulted, 'Filled from defaults: ');
  document.getElementById('result-missing').textContent = listed(prediction.missing, 'Missing, fed to the model as NaN: ');
  document.getElementById('result-json').textContent = JSON.stringify(body, null, 2);
  document.getElementById('result-details').open = raw;
  result.hidden = false;
}

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  clearErrors();
  result.hidden = true;
  status.textContent = 'Predicting…';
  const headers = { 'content-type': 'application/json' };
  const key = form.elements['api-key'].value.trim();
  if (key) headers['x-api-key'] = key;
  const body = form.dataset.predict === 'raw' ? form.elements['raw-body'].value : readInstance();
  try {
    const res = await fetch(form.action, { method: 'POST', headers, body });
    const answer = await res.json().catch(() => null);
    if (res.ok && answer) {
      status.textContent = '';
      showPrediction(answer);
    } else {
      status.textContent = answer && answer.error ? answer.error.message : 'The server answered ' + res.status + '.';
      if (answer && answer.error) showIssues(answer.error);
    }
  } catch (err) {
    status.textContent = 'The request failed: ' + err.message;
  }
});
`);
