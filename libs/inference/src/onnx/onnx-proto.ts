// The few ONNX protobuf fields the library reads or writes (numbers from onnx/onnx.proto3), and read-only views
// of nodes built from the wire fields. Everything else in a model is copied untouched.
import { type WireField, readFields, stringOf, varintOf } from './protobuf-wire';

export const ModelField = { irVersion: 1, graph: 7, opsetImport: 8, metadataProps: 14 } as const;
export const StringStringEntryField = { key: 1, value: 2 } as const;
export const OpsetField = { domain: 1, version: 2 } as const;
export const GraphField = { node: 1, initializer: 5, output: 12, valueInfo: 13 } as const;
export const TensorField = { name: 8, externalData: 13, dataLocation: 14 } as const;
/** TensorProto.DataLocation.EXTERNAL */
export const dataLocationExternal = 1n;
export const NodeField = { input: 1, output: 2, name: 3, opType: 4, attribute: 5, docString: 6, domain: 7 } as const;
export const AttributeField = { name: 1, s: 4, ints: 8, strings: 9, type: 20 } as const;
export const AttributeType = { string: 3 } as const;
export const ValueInfoField = { name: 1, type: 2 } as const;
export const TypeField = { tensorType: 1 } as const;
export const TensorTypeField = { elemType: 1, shape: 2 } as const;
export const ShapeField = { dim: 1 } as const;
export const DimField = { value: 1 } as const;
/** TensorProto.DataType.FLOAT */
export const elemTypeFloat = 1;
export const mlDomain = 'ai.onnx.ml';

export interface NodeView {
  fields: WireField[];
  name: string;
  opType: string;
  domain: string;
  inputs: string[];
  outputs: string[];
  /** Attribute name → that AttributeProto's bytes (read with attributeFields: most attributes are never read). */
  attributes: Map<string, Uint8Array>;
}

const attributeName = new Set([AttributeField.name]);

export function fieldsNumbered(fields: WireField[], field: number): WireField[] {
  return fields.filter((f) => f.field === field);
}

export function stringFieldOf(fields: WireField[], field: number): string {
  const last = fields.findLast((f) => f.field === field);
  return last ? stringOf(last) : '';
}

export function readNode(payload: Uint8Array): NodeView {
  const fields = readFields(payload);
  const attributes = new Map<string, Uint8Array>();
  for (const attribute of fieldsNumbered(fields, NodeField.attribute)) {
    attributes.set(stringFieldOf(readFields(attribute.payload, attributeName), AttributeField.name), attribute.payload);
  }
  return {
    fields,
    name: stringFieldOf(fields, NodeField.name),
    opType: stringFieldOf(fields, NodeField.opType),
    domain: stringFieldOf(fields, NodeField.domain),
    inputs: fieldsNumbered(fields, NodeField.input).map(stringOf),
    outputs: fieldsNumbered(fields, NodeField.output).map(stringOf),
    attributes,
  };
}

/** The fields of the node's attribute of that name; undefined when it has none. */
export function attributeFields(node: NodeView, name: string): WireField[] | undefined {
  const payload = node.attributes.get(name);
  return payload && readFields(payload);
}

/** The default ONNX domain is spelled '' or 'ai.onnx'. */
export function isDefaultDomain(domain: string): boolean {
  return domain === '' || domain === 'ai.onnx';
}

export function opsetImports(modelFields: WireField[]): { domain: string; version: bigint }[] {
  return fieldsNumbered(modelFields, ModelField.opsetImport).map((f) => {
    const fields = readFields(f.payload);
    const version = fields.findLast((v) => v.field === OpsetField.version);
    return { domain: stringFieldOf(fields, OpsetField.domain), version: version ? varintOf(version) : 0n };
  });
}

/** StringStringEntryProto fields (a model's metadata_props, a tensor's external_data) as key → value; the last of a key wins. */
export function stringEntries(entries: WireField[]): Map<string, string> {
  return new Map(
    entries.map((entry) => {
      const fields = readFields(entry.payload);
      return [stringFieldOf(fields, StringStringEntryField.key), stringFieldOf(fields, StringStringEntryField.value)];
    }),
  );
}
