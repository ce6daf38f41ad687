// One form control per feature, chosen from the spec: a number input with the feature's range, a text input (or a
// textarea for long text) with its maxlength, a select for a closed set of choices, a checkbox for a boolean.
// data-kind tells the page script how to read the value back into JSON.
import type { FeatureSpec } from '@onnx-serve/feature-spec';
import { html } from 'hono/html';
import type { Html } from './page-layout';

/** Strings that may be longer than this get a textarea. */
const longText = 120;

const fieldId = (feature: FeatureSpec) => `field-${feature.name}`;

export function featureField(feature: FeatureSpec, maxStringLength?: number): Html {
  // Left empty, a number that may be missing is sent missing and reaches the model as NaN.
  const required = feature.default === undefined && feature.missing === undefined;
  return html`<div class="field" data-field="${feature.name}">
  <label for="${fieldId(feature)}">${feature.name}${feature.unit ? ` (${feature.unit})` : ''}${required ? html` <span class="required" title="required">*</span>` : ''}</label>
  ${control(feature, required, maxStringLength)}
  <small>${hint(feature, maxStringLength)}</small>
  <p class="error" data-error-for="${feature.name}" role="alert"></p>
</div>`;
}

function control(feature: FeatureSpec, required: boolean, maxStringLength?: number): Html {
  const id = fieldId(feature);
  const { name } = feature;
  const placeholder = feature.example === undefined ? undefined : String(feature.example);
  if (feature.enum) {
    const options = feature.enum.map(
      (value) => html`<option value="${JSON.stringify(value)}" ${value === feature.default ? 'selected' : ''}>${String(value)}</option>`,
    );
    // A choice that may be missing can be left unchosen: sent missing, as an empty number input is.
    const empty = required ? html`<option value="">choose…</option>` : feature.missing === 'nan' ? html`<option value="">(missing)</option>` : '';
    return html`<select id="${id}" name="${name}" data-kind="choice" ${required ? 'required' : ''}>${empty}${options}</select>`;
  }
  switch (feature.type) {
    case 'number':
    case 'integer':
      return html`<input type="number" id="${id}" name="${name}" data-kind="number" step="${feature.type === 'integer' ? '1' : 'any'}"
    ${attribute('min', feature.minimum)} ${attribute('max', feature.maximum)} ${attribute('value', feature.default)}
    ${attribute('placeholder', placeholder)} ${required ? 'required' : ''} />`;
    case 'boolean':
      return html`<input type="checkbox" id="${id}" name="${name}" data-kind="boolean" ${feature.default === true ? 'checked' : ''} />`;
    case 'string': {
      const maxLength = effectiveMaxLength(feature, maxStringLength);
      const attributes = html`id="${id}" name="${name}" data-kind="string" ${attribute('maxlength', maxLength)}
    ${attribute('placeholder', placeholder)} ${required ? 'required' : ''}`;
      const value = typeof feature.default === 'string' ? feature.default : '';
      return maxLength === undefined || maxLength > longText
        ? html`<textarea ${attributes}>${value}</textarea>`
        : html`<input type="text" ${attributes} value="${value}" />`;
    }
  }
}

/** `name="value"`, or nothing when there is no value. */
function attribute(name: string, value: string | number | boolean | undefined): Html | '' {
  return value === undefined ? '' : html`${name}="${String(value)}"`;
}

function effectiveMaxLength(feature: FeatureSpec, maxStringLength?: number): number | undefined {
  const limits = [feature.maxLength, maxStringLength].filter((n): n is number => n !== undefined);
  return limits.length === 0 ? undefined : Math.min(...limits);
}

/** What the feature means and accepts, in words: description, range and unit, length, default. */
function hint(feature: FeatureSpec, maxStringLength?: number): string {
  const parts = [feature.description];
  const { minimum, maximum, unit } = feature;
  if (minimum !== undefined || maximum !== undefined) {
    parts.push(`from ${minimum ?? '−∞'} to ${maximum ?? '∞'}${unit ? ` ${unit}` : ''}`);
  } else if (unit) parts.push(`in ${unit}`);
  const maxLength = feature.type === 'string' ? effectiveMaxLength(feature, maxStringLength) : undefined;
  if (maxLength !== undefined) parts.push(`at most ${maxLength} characters`);
  if (feature.default !== undefined) parts.push(`default ${JSON.stringify(feature.default)}`);
  if (feature.missing === 'nan') parts.push('may be left empty: missing, fed to the model as NaN');
  return parts.filter(Boolean).join(' · ');
}
