// The form part of the page script: reads the form into JSON, posts it to the v1 predict route, and shows the
// prediction (drawn by bars-script), or each validation issue beside the field it names, with focus on the first.
export const formScript = `
const form = document.querySelector('form[data-predict]');
const facts = JSON.parse(form.dataset.facts);
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
  return instance;
}

/** The headers of every predict request: JSON, and the key when one is typed in. */
function requestHeaders() {
  const headers = { 'content-type': 'application/json' };
  const key = form.elements['api-key'].value.trim();
  if (key) headers['x-api-key'] = key;
  return headers;
}

/** POSTs a JSON text to the predict route: { status, answer, retryAfter } with the parsed body (null when not JSON). */
async function postPredict(body) {
  const res = await fetch(form.action, { method: 'POST', headers: requestHeaders(), body });
  return { status: res.status, answer: await res.json().catch(() => null), retryAfter: Number(res.headers.get('retry-after')) || 1 };
}

function clearErrors() {
  for (const slot of form.querySelectorAll('[data-error-for]')) slot.textContent = '';
  for (const field of form.querySelectorAll('.field.invalid')) {
    field.classList.remove('invalid');
    for (const control of field.querySelectorAll('[aria-invalid]')) control.removeAttribute('aria-invalid');
  }
  formErrors.replaceChildren();
}

function showIssues(error) {
  for (const issue of error.issues || []) {
    const slot = [...form.querySelectorAll('[data-error-for]')].find((s) => s.dataset.errorFor === issue.path);
    if (slot) {
      slot.textContent = issue.message;
      const field = slot.closest('.field');
      field.classList.add('invalid');
      field.querySelector('input, select, textarea').setAttribute('aria-invalid', 'true');
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
  // Focus goes to the first bad field in the form's order, whatever order the server listed the issues in.
  const first = form.querySelector('[aria-invalid="true"]');
  if (first) first.focus();
}

function showPrediction(body) {
  const prediction = body.predictions[0];
  const raw = form.dataset.predict === 'raw';
  document.getElementById('result-kind').textContent = raw ? 'Outputs, by ONNX name' : 'value' in prediction ? 'Value' : 'Label';
  document.getElementById('result-label').textContent = raw ? '' : 'value' in prediction ? valueText(prediction.value) : prediction.label;
  drawPrediction(raw ? {} : prediction);
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
  const body = form.dataset.predict === 'raw' ? form.elements['raw-body'].value : JSON.stringify(readInstance());
  showCode(body);
  try {
    const { status: code, answer } = await postPredict(body);
    if (code === 200 && answer) {
      status.textContent = '';
      showPrediction(answer);
    } else {
      status.textContent = answer && answer.error ? answer.error.message : 'The server answered ' + code + '.';
      if (answer && answer.error) showIssues(answer.error);
    }
  } catch (err) {
    status.textContent = 'The request failed: ' + err.message;
  }
});
`;
