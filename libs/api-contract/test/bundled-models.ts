// The bundled example models as the docs see them: spec.json read from test-fixtures/models/, and the ONNX signatures the
// inference library reports for them (written out here: this pure library never loads onnxruntime).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseModelSpec, type ModelSignature } from '@onnx-serve/feature-spec';
import type { DocumentedModel } from '../src/model-schemas';

const modelsDir = fileURLToPath(new URL('../../../test-fixtures/models/', import.meta.url));

const stringColumn = (name: string) => ({ name, dtype: 'string' as const, shape: [null, 1] });
const floatColumn = (name: string) => ({ name, dtype: 'float32' as const, shape: [null, 1] });

export const bundledSignatures: Record<string, ModelSignature> = {
  'cars-lgbm': {
    inputs: [{ name: 'float_input', dtype: 'float32', shape: [null, 6] }],
    outputs: [{ name: 'variable', dtype: 'float32', shape: [null, 1] }],
  },
  diabetes: { inputs: [{ name: 'X', dtype: 'float32', shape: [null, 10] }], outputs: [{ name: 'variable', dtype: 'float32', shape: [null, 1] }] },
  'disaster-tweets': {
    inputs: ['keyword', 'location', 'text'].map(stringColumn),
    outputs: [{ name: 'label', dtype: 'int64', shape: [null] }, { name: 'probabilities', dtype: 'float32', shape: [null, 2] }],
  },
  iris: {
    inputs: [{ name: 'X', dtype: 'float32', shape: [null, 4] }],
    outputs: [
      { name: 'output_label', dtype: 'int64', shape: [null] },
      { name: 'output_probability', dtype: 'float32', shape: [null, 3], zipMapClasses: [0, 1, 2] },
    ],
  },
  'loans-mixed': {
    inputs: [
      ...['annual_income', 'loan_amount', 'debt_to_income', 'credit_score', 'employment_years'].map(floatColumn),
      ...['home_ownership', 'loan_purpose', 'term'].map(stringColumn),
    ],
    outputs: [
      { name: 'output_label', dtype: 'int64', shape: [null] },
      { name: 'output_probability', dtype: 'float32', shape: [null, 2], zipMapClasses: [0, 1] },
    ],
  },
  sentiment: {
    inputs: [stringColumn('review_text')],
    outputs: [{ name: 'label', dtype: 'int64', shape: [null] }, { name: 'probabilities', dtype: 'float32', shape: [null, 1] }],
  },
};

export const bundledNames = Object.keys(bundledSignatures);

/** A bundled model with its spec (features mode), or served from its bare file (raw mode). */
export function bundledModel(name: string, mode: 'features' | 'raw' = 'features'): DocumentedModel {
  const signature = bundledSignatures[name]!;
  if (mode === 'raw') return { name: `${name}-raw`, version: '1', spec: null, signature };
  const spec = parseModelSpec(JSON.parse(readFileSync(`${modelsDir}${name}/1/spec.json`, 'utf8')), `${name}/1/spec.json`);
  return { name, version: '1', spec, signature };
}
