import { readFileSync } from 'node:fs';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { at, bundledRef, closeTo, goldenFeeds, readGolden, tensor } from '../testing/fixtures';
import { GraphField, ModelField, NodeField, type NodeView, attributeFields, fieldsNumbered, opsetImports, readNode } from './onnx-proto';
import { OnnxPatchError, patchOnnxModel } from './patch-onnx-model';
import { type WireField, bytesField, readFields, stringOf } from './protobuf-wire';

const modelBytes = (name: Parameters<typeof bundledRef>[0]): Uint8Array => readFileSync(bundledRef(name).modelPath);

function graphFieldsOf(bytes: Uint8Array): WireField[] {
  return readFields(at(fieldsNumbered(readFields(bytes), ModelField.graph), 0).payload);
}

function nodesOf(bytes: Uint8Array): NodeView[] {
  return fieldsNumbered(graphFieldsOf(bytes), GraphField.node).map((f) => readNode(f.payload));
}

function nodeNamed(bytes: Uint8Array, predicate: (node: NodeView) => boolean): NodeView {
  return at(nodesOf(bytes).filter(predicate), 0);
}

describe('patchOnnxModel on a ZipMap export (iris)', () => {
  const original = modelBytes('iris');
  const patched = patchOnnxModel(original);

  it('serves the ZipMap output as a float32 [N,3] tensor whose rows match the golden probabilities', async () => {
    expect(patched.zipMaps).toEqual({ output_probability: [0, 1, 2] });
    expect(patched.changes).toEqual(['output_probability: ZipMap served as a float32 [N,3] tensor']);
    const session = await ort.InferenceSession.create(patched.bytes);
    expect(session.outputMetadata.find((m) => m.name === 'output_probability')).toEqual({
      name: 'output_probability',
      isTensor: true,
      type: 'float32',
      shape: ['', 3],
    });
    const golden = readGolden('iris');
    const X = tensor(goldenFeeds(golden), 'X');
    const outputs = await session.run({ X: new ort.Tensor('float32', X.data as Float32Array, X.dims) });
    const expected = (golden.expected.output_probability ?? []).flat();
    const actual = Array.from(outputs.output_probability?.data as Float32Array);
    expect(actual).toHaveLength(expected.length);
    expect(actual.filter((a, i) => !closeTo(a, at(expected, i)))).toEqual([]);
    await session.release();
  });

  it('rewrites the ZipMap node into an Identity of the default domain with no attributes, same name and wires', () => {
    const before = nodeNamed(original, (n) => n.opType === 'ZipMap');
    const after = nodeNamed(patched.bytes, (n) => n.name === before.name);
    expect({ ...after, fields: undefined, attributes: [...after.attributes.keys()] }).toEqual({
      fields: undefined,
      name: before.name,
      opType: 'Identity',
      domain: '',
      inputs: before.inputs,
      outputs: before.outputs,
      attributes: [],
    });
  });

  it('copies every other field byte for byte', () => {
    const outsideGraph = (bytes: Uint8Array) =>
      readFields(bytes)
        .filter((f) => f.field !== ModelField.graph)
        .map((f) => [...f.raw]);
    expect(outsideGraph(patched.bytes)).toEqual(outsideGraph(original));
    const untouchedInGraph = (bytes: Uint8Array) =>
      graphFieldsOf(bytes)
        .filter((f) => f.field !== GraphField.output && !(f.field === GraphField.node && readNode(f.payload).name === 'ZipMap'))
        .map((f) => [...f.raw]);
    expect(untouchedInGraph(patched.bytes)).toEqual(untouchedInGraph(original));
  });

  it('leaves an already patched model as the same bytes', () => {
    const again = patchOnnxModel(patched.bytes);
    expect(again.bytes).toBe(patched.bytes);
    expect(again.changes).toEqual([]);
  });

  it('adds a default-domain opset import for Identity when the model has none', () => {
    const withoutDefault = new Uint8Array(
      readFields(original)
        .filter((f) => f.field !== ModelField.opsetImport || stringOf(at(readFields(f.payload), 0)) === 'ai.onnx.ml')
        .flatMap((f) => [...f.raw]),
    );
    expect(opsetImports(readFields(withoutDefault)).map((o) => o.domain)).toEqual(['ai.onnx.ml']);
    const result = patchOnnxModel(withoutDefault);
    expect(opsetImports(readFields(result.bytes))).toEqual([
      { domain: 'ai.onnx.ml', version: 1n },
      { domain: '', version: 13n },
    ]);
    expect(result.changes).toContain('opset import added: default domain, version 13 (for Identity)');
  });
});

describe('patchOnnxModel on StringNormalizer nodes without a locale', () => {
  const localesOf = (bytes: Uint8Array) =>
    nodesOf(bytes)
      .filter((n) => n.opType === 'StringNormalizer')
      .map((n) => attributeFields(n, 'locale')?.filter((f) => f.field === 4).map(stringOf));

  it('sets locale C.UTF-8 on each of them (the tweets model has three)', () => {
    const original = modelBytes('disaster-tweets');
    expect(localesOf(original)).toEqual([undefined, undefined, undefined]);
    const patched = patchOnnxModel(original);
    expect(localesOf(patched.bytes)).toEqual([['C.UTF-8'], ['C.UTF-8'], ['C.UTF-8']]);
    expect(patched.changes).toHaveLength(3);
    expect(patched.changes[0]).toBe('StringNormalizer "StringNormalizer": locale set to C.UTF-8 (the export named none)');
    expect(patched.zipMaps).toEqual({});
  });

  it('uses the textLocale option when given, and keeps every other node attribute', () => {
    const original = modelBytes('sentiment');
    const patched = patchOnnxModel(original, { textLocale: 'C.utf8' });
    expect(localesOf(patched.bytes)).toEqual([['C.utf8']]);
    const fields = (bytes: Uint8Array) => nodeNamed(bytes, (n) => n.opType === 'StringNormalizer').fields;
    const raw = (bytes: Uint8Array) => fields(bytes).map((f) => [...f.raw]);
    expect(raw(patched.bytes).slice(0, -1)).toEqual(raw(original));
    expect(fields(patched.bytes).map((f) => f.field).at(-1)).toBe(NodeField.attribute);
  });
});

describe('patchOnnxModel on models that need nothing or are broken', () => {
  it('returns the very same bytes for a model that needs no patch (diabetes)', () => {
    const original = modelBytes('diabetes');
    const result = patchOnnxModel(original);
    expect(result.bytes).toBe(original);
    expect({ changes: result.changes, zipMaps: result.zipMaps }).toEqual({ changes: [], zipMaps: {} });
  });

  it('rejects a truncated file with an OnnxPatchError saying so', () => {
    const original = modelBytes('iris');
    expect(() => patchOnnxModel(original.subarray(0, original.length - 100))).toThrow(
      /^not a readable ONNX model \(truncated or corrupt\): field 7 at byte \d+ runs past the end/,
    );
  });

  it('rejects a model whose graph is corrupt inside, though its outer fields read', () => {
    const graphHoldingAGroup = bytesField(ModelField.graph, new Uint8Array([0x0b]));
    expect(() => patchOnnxModel(graphHoldingAGroup)).toThrow(
      'not a readable ONNX model (truncated or corrupt): unsupported wire type 3 at byte 0',
    );
  });

  it('rejects bytes that hold no ONNX graph', () => {
    expect(() => patchOnnxModel(new TextEncoder().encode('{"not":"a model"}'))).toThrow(OnnxPatchError);
    expect(() => patchOnnxModel(new Uint8Array([0x08, 0x08]))).toThrow('not an ONNX model: the ModelProto holds no graph');
  });
});
