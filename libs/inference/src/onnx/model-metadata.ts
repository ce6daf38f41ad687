// What an ONNX file says about itself beyond its graph's signature: the metadata_props written at export
// (feature and class names) and the external data files its weights live in. Read from the .onnx bytes alone.
import {
  GraphField,
  ModelField,
  TensorField,
  dataLocationExternal,
  fieldsNumbered,
  stringEntries,
} from './onnx-proto';
import { readFields, varintOf } from './protobuf-wire';

/** The ModelProto's metadata_props, key → value. */
export function metadataProps(model: Uint8Array): Map<string, string> {
  return stringEntries(fieldsNumbered(readFields(model), ModelField.metadataProps));
}

/**
 * The `location` of every external data file the main graph's initializers refer to (torch.onnx.export writes its
 * weights to `<file>.onnx.data` beside the graph), each once, as written in the file: relative to the model's folder.
 */
export function externalDataLocations(model: Uint8Array): string[] {
  const graph = readFields(model).findLast((field) => field.field === ModelField.graph);
  if (!graph) return [];
  const locations = new Set<string>();
  for (const initializer of fieldsNumbered(readFields(graph.payload), GraphField.initializer)) {
    const fields = readFields(initializer.payload);
    const location = fields.findLast((field) => field.field === TensorField.dataLocation);
    if (!location || varintOf(location) !== dataLocationExternal) continue;
    const file = stringEntries(fieldsNumbered(fields, TensorField.externalData)).get('location');
    if (file !== undefined) locations.add(file);
  }
  return [...locations];
}
