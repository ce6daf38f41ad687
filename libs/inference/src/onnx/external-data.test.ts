import { describe, expect, it } from 'vitest';
import { fixtureBytes } from '../testing/fixtures';
import { externalDataLocations } from './external-data';

describe('externalDataLocations', () => {
  it("names the file torch's exporter put the weights in", () => {
    expect(externalDataLocations(fixtureBytes('models/digits/1/model.onnx'))).toEqual(['digits-torch.onnx.data']);
  });

  it('is empty for a model that holds all its tensors (skl2onnx, onnxmltools)', () => {
    expect(externalDataLocations(fixtureBytes('models/iris/1/model.onnx'))).toEqual([]);
    expect(externalDataLocations(fixtureBytes('models/wine/1/model.onnx'))).toEqual([]);
  });
});
