// The CSV batch part of the page script: Papa Parse reads the file (served by this server, see forms-routes.ts),
// each row's feature cells go to the v1 predict route in chunks within the server's limits (instances per request,
// body bytes), and the rows come back as a CSV with the prediction columns appended. The v1 route refuses a whole
// batch when any row is invalid, naming each bad row (instances[i].field): those rows get an `error` column and
// the rest are sent again; a chunk refused without row paths (too large, too many rows) is split in halves; a rate
// limit (429) is waited out.
export const batchScript = String.raw`
const batchFile = document.getElementById('batch-file');
/** Rows per request: the server's limit, and small enough that a large file shows its progress. */
const batchRowsPerRequest = Math.min(facts.maxInstances, 500);

/** A row's feature cells as an instance: an empty cell is left out (missing: the spec's default, NaN, or refused). */
function instanceOf(row) {
  const instance = {};
  for (const feature of facts.features) {
    const cell = row[feature.name];
    // Numbers and booleans go as the strings they are: the server converts "5.9" and "true" itself.
    if (cell !== undefined && cell.trim() !== '') instance[feature.name] = cell;
  }
  return instance;
}

/** Row indices in chunks of at most batchRowsPerRequest rows and (nearly) maxBodyBytes of JSON. */
function chunksOf(indices, instances) {
  const encoder = new TextEncoder();
  const budget = facts.maxBodyBytes - 64;
  const chunks = [];
  let chunk = [];
  let bytes = 16;
  for (const index of indices) {
    const size = encoder.encode(JSON.stringify(instances[index])).length + 1;
    if (chunk.length > 0 && (chunk.length >= batchRowsPerRequest || bytes + size > budget)) {
      chunks.push(chunk);
      chunk = [];
      bytes = 16;
    }
    chunk.push(index);
    bytes += size;
  }
  if (chunk.length > 0) chunks.push(chunk);
  return chunks;
}

/** How often one chunk waits out a rate limit (429, as long as Retry-After says) before the batch stops. */
const batchRateLimitWaits = 5;

/** Predicts the rows at these indices into outcome.predicted / outcome.refused; throws on what no split can fix. */
async function predictRows(indices, instances, outcome) {
  const body = JSON.stringify({ instances: indices.map((i) => instances[i]) });
  let { status: code, answer, retryAfter } = await postPredict(body);
  for (let wait = 1; code === 429 && wait <= batchRateLimitWaits; wait++) {
    document.getElementById('batch-status').textContent = 'Rate limited: waiting ' + retryAfter + ' s before going on…';
    await new Promise((resolve) => setTimeout(resolve, Math.min(retryAfter, 60) * 1000));
    ({ status: code, answer, retryAfter } = await postPredict(body));
  }
  if (code === 200 && answer) {
    answer.predictions.forEach((prediction, k) => { outcome.predicted[indices[k]] = prediction; });
    return;
  }
  const error = answer && answer.error;
  if (code === 422 && error && error.issues) {
    const byRow = new Map();
    let unplaced = false;
    for (const issue of error.issues) {
      const match = /^instances\[(\d+)\](?:\.(.+))?$/.exec(issue.path);
      const row = match ? indices[Number(match[1])] : undefined;
      if (row === undefined) { unplaced = true; continue; }
      byRow.set(row, [...(byRow.get(row) || []), (match[2] ? match[2] + ': ' : '') + issue.message]);
    }
    if (!unplaced && byRow.size > 0) {
      for (const [row, messages] of byRow) outcome.refused[row] = messages.join('; ');
      const rest = indices.filter((i) => !byRow.has(i));
      if (rest.length > 0) await predictRows(rest, instances, outcome);
      return;
    }
  }
  if (code === 413 || code === 422) {
    if (indices.length === 1) {
      outcome.refused[indices[0]] = error ? error.message : 'refused (' + code + ')';
      return;
    }
    const half = Math.ceil(indices.length / 2);
    await predictRows(indices.slice(0, half), instances, outcome);
    await predictRows(indices.slice(half), instances, outcome);
    return;
  }
  throw new Error(error ? error.message : 'the server answered ' + code);
}

/** The columns appended to each row: label and one per class score, or the value; message; error. */
function predictionColumns(predictions) {
  const present = (key) => predictions.some((p) => p && p[key] !== undefined);
  if (facts.outputs.kind === 'regression') return [{ name: 'value', of: (p) => p.value }];
  const scores = present('scores') ? 'scores' : 'probabilities';
  const prefix = scores === 'scores' ? 'score_' : 'probability_';
  const columns = [{ name: 'label', of: (p) => p.label }];
  for (const name of facts.outputs.classes) {
    if (predictions.some((p) => p && p[scores] && p[scores][name] !== undefined)) columns.push({ name: prefix + name, of: (p) => p[scores][name] });
  }
  if (present('message')) columns.push({ name: 'message', of: (p) => p.message });
  return columns;
}

function parseCsv(file) {
  return new Promise((resolve, reject) => {
    Papa.parse(file, {
      header: true,
      skipEmptyLines: 'greedy',
      transformHeader: (header) => header.replace(/^\ufeff/, '').trim(),
      complete: resolve,
      error: reject,
    });
  });
}

async function runBatch() {
  const note = document.getElementById('batch-status');
  const progress = document.getElementById('batch-progress');
  const download = document.getElementById('batch-download');
  const button = document.getElementById('batch-run');
  const file = batchFile.files[0];
  const refusedList = document.getElementById('batch-refused');
  download.hidden = true;
  refusedList.replaceChildren();
  if (!file) {
    note.textContent = 'Choose a CSV file first.';
    batchFile.focus();
    return;
  }
  button.disabled = true;
  try {
    const parsed = await parseCsv(file);
    const fields = parsed.meta.fields || [];
    const absent = facts.features.filter((f) => f.required && !fields.includes(f.name)).map((f) => f.name);
    if (absent.length > 0) {
      note.textContent = 'The CSV has no column for ' + absent.join(', ') + ' (required): its header must name every feature; see the template.';
      batchFile.focus();
      return;
    }
    const rows = parsed.data;
    const outcome = { predicted: [], refused: [] };
    // A row the parser could not read as a whole (too few or too many cells) is not guessed at.
    for (const problem of parsed.errors) if (problem.row !== undefined) outcome.refused[problem.row] = 'CSV: ' + problem.message;
    const instances = rows.map(instanceOf);
    const chunks = chunksOf(rows.map((_, i) => i).filter((i) => outcome.refused[i] === undefined), instances);
    progress.max = rows.length || 1;
    progress.value = 0;
    progress.hidden = false;
    let done = rows.length - chunks.reduce((n, chunk) => n + chunk.length, 0);
    for (const chunk of chunks) {
      note.textContent = 'Predicting rows ' + (done + 1) + ' to ' + (done + chunk.length) + ' of ' + rows.length + '…';
      await predictRows(chunk, instances, outcome);
      done += chunk.length;
      progress.value = done;
    }
    const columns = predictionColumns(outcome.predicted);
    const data = rows.map((row, i) => {
      const prediction = outcome.predicted[i];
      return [
        ...fields.map((name) => row[name] ?? ''),
        ...columns.map((column) => (prediction && column.of(prediction) !== undefined ? String(column.of(prediction)) : '')),
        outcome.refused[i] || '',
      ];
    });
    const csv = Papa.unparse({ fields: [...fields, ...columns.map((c) => c.name), 'error'], data }, { newline: '\n' }) + '\n';
    if (download.href) URL.revokeObjectURL(download.href);
    download.href = URL.createObjectURL(new Blob([csv], { type: 'text/csv' }));
    download.download = facts.name + '-predictions.csv';
    const refused = outcome.refused.filter((e) => e !== undefined).length;
    // The first few refused rows on the page too, numbered as data rows (the header is not counted).
    outcome.refused.forEach((why, i) => {
      if (refusedList.children.length < 10) refusedList.append(element('li', '', 'Row ' + (i + 1) + ': ' + why));
    });
    download.textContent = 'Download the ' + rows.length + ' rows with predictions';
    download.hidden = false;
    note.textContent = rows.length + (rows.length === 1 ? ' row: ' : ' rows: ') + (rows.length - refused) + ' predicted, ' + refused + ' refused' +
      (refused > 0 ? ' (the error column says why)' : '') + '.';
  } catch (err) {
    note.textContent = 'The batch stopped: ' + err.message;
  } finally {
    button.disabled = false;
  }
}

if (batchFile) document.getElementById('batch-run').addEventListener('click', runBatch);
`;
