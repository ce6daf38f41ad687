// The files an ONNX model keeps its weights in beside itself (external data: exporters write large initializers
// to e.g. model.onnx.data), named by each initializer's external_data "location" entry. Whoever copies a model
// must copy these too: onnxruntime reads them relative to the model file.
import { GraphField, ModelField, fieldsNumbered, stringFieldOf } from './onnx-proto';
import { readFields } from './protobuf-wire';

const TensorField = { externalData: 13 } as const;
const EntryField = { key: 1, value: 2 } as const;

/** The distinct external data files the main graph's initializers reference, in order of first use. */
export function externalDataFiles(modelBytes: Uint8Array): string[] {
  const files = new Set<string>();
  for (const graph of fieldsNumbered(readFields(modelBytes), ModelField.graph)) {
    for (const initializer of fieldsNumbered(readFields(graph.payload), GraphField.initializer)) {
      for (const entry of fieldsNumbered(readFields(initializer.payload), TensorField.externalData)) {
        const entryFields = readFields(entry.payload);
        if (stringFieldOf(entryFields, EntryField.key) === 'location') files.add(stringFieldOf(entryFields, EntryField.value));
      }
    }
  }
  return [...files];
}
