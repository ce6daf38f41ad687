// What an ONNX file says about itself beyond its graph's signature: the metadata_props written at export
// (feature and class names). Read from the .onnx bytes alone.
import { ModelField, fieldsNumbered, stringEntries } from './onnx-proto';
import { readFields } from './protobuf-wire';

/** The ModelProto's metadata_props, key → value. */
export function metadataProps(model: Uint8Array): Map<string, string> {
  return stringEntries(fieldsNumbered(readFields(model), ModelField.metadataProps));
}
