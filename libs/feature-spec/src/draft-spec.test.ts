import { describe, expect, it } from 'vitest';
import { exampleModel, exampleModels } from '../test/example-models';
import { checkSpecAgainstSignature } from './check-signature';
import { draftSpecFromSignature } from './draft-spec';
import { SpecError } from './errors';
import { parseModelSpec } from './parse-model-spec';
import type { ModelSignature } from './tensors';

const label = { name: 'label', dtype: 'int64' as const, shape: [null] };

describe('draftSpecFromSignature', () => {
  it.each(exampleModels)('drafts a spec for $name that parses and fits its signature', ({ signature }) => {
    const json: unknown = JSON.parse(JSON.stringify(draftSpecFromSignature(signature)));
    const spec = parseModelSpec(json, 'draft.json');
    expect(() => checkSpecAgainstSignature(spec, signature, 'draft.json')).not.toThrow();
  });

  it('drafts a float matrix as number features x0… and a ZipMap classifier from its class keys', () => {
    const { features, inputs, outputs } = draftSpecFromSignature(exampleModel('iris').signature);
    expect(features).toEqual(['x0', 'x1', 'x2', 'x3'].map((name) => ({ name, type: 'number' })));
    expect(inputs).toEqual({ kind: 'matrix', input: 'X', dtype: 'float32', columns: ['x0', 'x1', 'x2', 'x3'] });
    expect(outputs).toEqual({
      kind: 'classification',
      classes: ['class_0', 'class_1', 'class_2'],
      labelOutput: 'output_label',
      scoresOutput: 'output_probability',
      scoreKind: 'probabilities',
    });
  });

  it('drafts per-feature string inputs, and a one-column score as a binary decision function', () => {
    const draft = draftSpecFromSignature(exampleModel('sentiment').signature);
    expect(draft.features).toEqual([{ name: 'review_text', type: 'string' }]);
    expect(draft.inputs).toEqual({ kind: 'per-feature', tensors: [{ feature: 'review_text', input: 'review_text', dtype: 'string' }] });
    expect(draft.outputs).toEqual({
      kind: 'classification',
      classes: ['class_0', 'class_1'],
      labelOutput: 'label',
      scoresOutput: 'probabilities',
      scoreKind: 'decision',
    });
  });

  it('drafts a regression on the first float output when there is no label', () => {
    expect(draftSpecFromSignature(exampleModel('diabetes').signature).outputs).toEqual({ kind: 'regression', output: 'variable' });
  });

  it('types features by dtype, turns input names into unique identifiers and keeps string ZipMap keys', () => {
    const signature: ModelSignature = {
      inputs: [
        { name: 'age:0', dtype: 'int32', shape: [null, 1] },
        { name: 'age/0', dtype: 'float64', shape: [null] },
        { name: '2nd', dtype: 'bool', shape: [null, 1] },
      ],
      outputs: [
        { name: 'label', dtype: 'string', shape: [null] },
        { name: 'probs', dtype: 'unsupported', shape: [], zipMapClasses: ['cat', 'dog'] },
      ],
    };
    const draft = draftSpecFromSignature(signature);
    expect(draft.features).toEqual([
      { name: 'age_0', type: 'integer' },
      { name: 'age_0_2', type: 'number' },
      { name: '_2nd', type: 'boolean' },
    ]);
    expect(draft.outputs).toEqual({
      kind: 'classification',
      classes: ['cat', 'dog'],
      labelOutput: 'label',
      scoresOutput: 'probs',
      scoreKind: 'probabilities',
    });
    expect(() => checkSpecAgainstSignature(parseModelSpec(draft, 'draft.json'), signature)).not.toThrow();
  });

  it('refuses an input that is neither a matrix nor per-feature, pointing to raw mode', () => {
    const image: ModelSignature = { inputs: [{ name: 'pixels', dtype: 'float32', shape: [null, 3, 224, 224] }], outputs: [label] };
    expect(() => draftSpecFromSignature(image)).toThrow(
      new SpecError('draft', [
        {
          path: 'inputs',
          message:
            'ONNX input "pixels" is float32 [N,3,224,224]: neither one float matrix [N,k] nor one [N,1] tensor per feature; serve the model without a spec (raw mode)',
        },
      ]),
    );
  });

  it('refuses outputs with neither a label nor a float value', () => {
    const signature: ModelSignature = { inputs: [{ name: 'X', dtype: 'float32', shape: [null, 2] }], outputs: [{ name: 'ids', dtype: 'int64', shape: [null, 5] }] };
    expect(() => draftSpecFromSignature(signature)).toThrow(
      'draft: outputs: no label [N] or float [N]/[N,1] output among: ids (int64 [N,5]); serve the model without a spec (raw mode)',
    );
  });
});
