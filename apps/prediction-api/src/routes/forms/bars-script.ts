// The bars part of the page script: a classifier's answer as one horizontal bar per class, the winning class
// marked and each value printed on its bar; decision scores as signed bars around the decision boundary (0),
// never as probabilities; a deciding threshold drawn as a line on its class's bar; a regression value with its
// unit and where it falls in the training range.
export const barsScript = `
function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/** A number as the page prints it: four decimals at most, with the spec's unit for a regression. */
function valueText(value) {
  const unit = facts.outputs && facts.outputs.unit;
  return String(Number(value.toFixed(4))) + (unit ? ' ' + unit : '');
}

const percent = (fraction) => (100 * fraction).toFixed(2) + '%';
const signed = (score) => (score >= 0 ? '+' : '') + score.toFixed(4);

function drawPrediction(prediction) {
  const bars = document.getElementById('result-bars');
  const scale = document.getElementById('result-scale');
  const kind = document.getElementById('result-scores-kind');
  bars.replaceChildren();
  drawRange('value' in prediction ? prediction.value : undefined);
  const probabilities = prediction.probabilities;
  const scores = prediction.scores;
  kind.textContent = probabilities ? 'Probabilities' : scores ? 'Decision scores' : '';
  scale.textContent = probabilities ? 'Each bar is the probability of its class, from 0 to 100%.'
    : scores ? 'Signed decision scores, not probabilities: 0 is the decision boundary, a bar to the right of it is for its class, to the left against.'
    : '';
  if (!probabilities && !scores) return;
  const values = probabilities || scores;
  const classes = facts.outputs.classes;
  // The threshold decides on the second class's score (binary models), so its line goes on that bar.
  const threshold = prediction.threshold ? { value: prediction.threshold.value, on: classes[1] } : null;
  const widest = Math.max(...Object.values(values).map(Math.abs), threshold && scores ? Math.abs(threshold.value) : 0) || 1;
  for (const [name, value] of Object.entries(values)) {
    const row = element('div', 'bar');
    row.dataset.class = name;
    const winner = name === prediction.label;
    if (winner) row.classList.add('winner');
    const label = element('span', 'bar-name', name);
    if (winner) label.append(element('span', 'bar-tag', ' ✓ predicted'));
    const track = element('span', 'bar-track');
    const fill = element('span', 'bar-fill');
    const printed = probabilities ? percent(value) : signed(value);
    if (probabilities) {
      fill.style.width = percent(value);
    } else {
      // Half the track either side of the boundary, scaled to the largest score shown.
      track.classList.add('signed');
      const half = (50 * Math.abs(value)) / widest;
      fill.style.left = (value >= 0 ? 50 : 50 - half) + '%';
      fill.style.width = half + '%';
      if (value < 0) fill.classList.add('negative');
      track.append(element('span', 'bar-zero'));
    }
    track.append(fill);
    if (threshold && threshold.on === name) {
      const line = element('span', 'bar-threshold');
      line.style.left = (probabilities ? 100 * threshold.value : 50 + (50 * threshold.value) / widest) + '%';
      line.title = 'threshold ' + threshold.value;
      track.append(line);
      label.append(element('span', 'bar-tag', ' (threshold ' + threshold.value + ')'));
    }
    track.setAttribute('role', 'img');
    track.setAttribute('aria-label', name + ': ' + printed + (winner ? ', predicted' : ''));
    row.append(label, track, element('span', 'bar-value', printed));
    bars.append(row);
  }
}

/** A regression value on its training range, when the spec has one. */
function drawRange(value) {
  const box = document.getElementById('result-range');
  box.replaceChildren();
  const range = facts.outputs && facts.outputs.trainingRange;
  if (value === undefined || !range) return;
  const { minimum, maximum } = range;
  const where = value < minimum ? 'below the training range' : value > maximum ? 'above the training range' : 'within the training range';
  box.append(element('p', 'range-text', valueText(value) + ' is ' + where + ' (' + valueText(minimum) + ' to ' + valueText(maximum) + ').'));
  const track = element('span', 'bar-track range-track');
  const marker = element('span', 'range-marker');
  const span = maximum - minimum || 1;
  marker.style.left = Math.min(100, Math.max(0, (100 * (value - minimum)) / span)) + '%';
  track.append(marker);
  track.setAttribute('role', 'img');
  track.setAttribute('aria-label', where);
  const row = element('div', 'bar range');
  row.append(element('span', 'bar-name', valueText(minimum)), track, element('span', 'bar-value', valueText(maximum)));
  box.append(row);
}
`;
