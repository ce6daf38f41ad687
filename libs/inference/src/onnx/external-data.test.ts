import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { externalDataFiles } from './external-data';
import { WireFormatError } from './protobuf-wire';

const fixture = (path: string) => readFile(new URL(`../../../../test-fixtures/models/${path}`, import.meta.url));

describe('externalDataFiles', () => {
  it('names the file a PyTorch export keeps its weights in', async () => {
    expect(externalDataFiles(await fixture('../onnx/digits-torch.onnx'))).toEqual(['digits-torch.onnx.data']);
  });

  it('is empty for a model that holds its weights itself', async () => {
    expect(externalDataFiles(await fixture('iris/1/model.onnx'))).toEqual([]);
  });

  it('refuses bytes that are not a protobuf message', () => {
    expect(() => externalDataFiles(new TextEncoder().encode('not an ONNX model at all'))).toThrow(WireFormatError);
  });
});
