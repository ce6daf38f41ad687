// Makes the ONNX files data scientists export run as they are under onnxruntime-node, by editing the ModelProto at
// the protobuf wire level: the nodes and outputs it changes are rebuilt, every other field is copied byte for byte.
import {
  AttributeField,
  AttributeType,
  GraphField,
  ModelField,
  NodeField,
  OpsetField,
  ValueInfoField,
  type NodeView,
  fieldsNumbered,
  isDefaultDomain,
  mlDomain,
  opsetImports,
  readNode,
  stringFieldOf,
} from './onnx-proto';
import { type WireField, WireFormatError, bytesField, concatBytes, readFields, stringField, varintField } from './protobuf-wire';
import { float32TensorType, zipMapClassLabels } from './zip-map';

export interface PatchOptions {
  /** Locale given to StringNormalizer nodes that name none (onnxruntime would use en_US.UTF-8, absent from slim images). */
  textLocale?: string;
}

export interface PatchResult {
  /** The model to load: the very input bytes when nothing needed changing. */
  bytes: Uint8Array;
  /** Human-readable notes, one per change. */
  changes: string[];
  /** Output name → class labels, in column order, for each ZipMap now served as a float tensor. */
  zipMaps: Record<string, (number | string)[]>;
}

export class OnnxPatchError extends Error {
  override name = 'OnnxPatchError';
}

/** Identity was defined in the first opset; 13 is a version every onnxruntime release still accepts. */
const identityOpsetVersion = 13n;

export function patchOnnxModel(bytes: Uint8Array, options: PatchOptions = {}): PatchResult {
  try {
    return patchModel(bytes, options.textLocale ?? 'C.UTF-8');
  } catch (error) {
    if (!(error instanceof WireFormatError)) throw error;
    throw new OnnxPatchError(`not a readable ONNX model (truncated or corrupt): ${error.message}`, { cause: error });
  }
}

function patchModel(bytes: Uint8Array, locale: string): PatchResult {
  const modelFields = readFields(bytes);
  const graphField = modelFields.find((f) => f.field === ModelField.graph);
  if (!graphField) throw new OnnxPatchError('not an ONNX model: the ModelProto holds no graph');
  const graphFields = readFields(graphField.payload);
  const nodes = fieldsNumbered(graphFields, GraphField.node).map((f) => ({ field: f, view: readNode(f.payload) }));
  const graphOutputs = new Set(fieldsNumbered(graphFields, GraphField.output).map(valueInfoName));

  const changes: string[] = [];
  const zipMaps: Record<string, (number | string)[]> = {};
  const replaced = new Map<WireField, Uint8Array>();

  for (const { field, view } of nodes) {
    if (view.opType === 'ZipMap' && view.domain === mlDomain) {
      const output = view.outputs[0] ?? '';
      const consumers = nodes.filter((n) => n.view.inputs.includes(output));
      if (!graphOutputs.has(output) || consumers.length > 0) {
        changes.push(`${output}: ZipMap left as is (not only a graph output), onnxruntime-node cannot return it`);
        continue;
      }
      const classes = zipMapClassLabels(view);
      zipMaps[output] = classes;
      replaced.set(field, bytesField(GraphField.node, identityNode(view)));
      changes.push(`${output}: ZipMap served as a float32 [N,${classes.length || '?'}] tensor`);
    } else if (view.opType === 'StringNormalizer' && isDefaultDomain(view.domain) && !view.attributes.has('locale')) {
      replaced.set(field, bytesField(GraphField.node, concatBytes([field.payload, localeAttribute(locale)])));
      changes.push(`StringNormalizer ${JSON.stringify(view.name)}: locale set to ${locale} (the export named none)`);
    }
  }
  if (replaced.size === 0) return { bytes, changes, zipMaps };

  for (const output of [...fieldsNumbered(graphFields, GraphField.output), ...fieldsNumbered(graphFields, GraphField.valueInfo)]) {
    const classes = zipMaps[valueInfoName(output)];
    if (classes) replaced.set(output, bytesField(output.field, float32ValueInfo(output, classes.length)));
  }
  const newGraph = rebuild(graphFields, replaced);
  const modelParts = rebuild(modelFields, new Map([[graphField, bytesField(ModelField.graph, newGraph)]]));
  const needsOpset = Object.keys(zipMaps).length > 0 && !opsetImports(modelFields).some((o) => isDefaultDomain(o.domain));
  const opset = needsOpset
    ? bytesField(ModelField.opsetImport, concatBytes([stringField(OpsetField.domain, ''), varintField(OpsetField.version, identityOpsetVersion)]))
    : new Uint8Array();
  if (needsOpset) changes.push(`opset import added: default domain, version ${identityOpsetVersion} (for Identity)`);
  return { bytes: concatBytes([modelParts, opset]), changes, zipMaps };
}

/** Same inputs, outputs and name; op Identity in the default domain with no attributes. */
function identityNode(view: NodeView): Uint8Array {
  const kept = view.fields.filter(
    (f) => f.field === NodeField.input || f.field === NodeField.output || f.field === NodeField.name || f.field === NodeField.docString,
  );
  return concatBytes([...kept.map((f) => f.raw), stringField(NodeField.opType, 'Identity')]);
}

function localeAttribute(locale: string): Uint8Array {
  const attribute = concatBytes([
    stringField(AttributeField.name, 'locale'),
    stringField(AttributeField.s, locale),
    varintField(AttributeField.type, AttributeType.string),
  ]);
  return bytesField(NodeField.attribute, attribute);
}

function valueInfoName(field: WireField): string {
  return stringFieldOf(readFields(field.payload), ValueInfoField.name);
}

/** The ValueInfoProto with its type replaced by tensor(float)[N, classes]; its name and doc string are kept. */
function float32ValueInfo(valueInfo: WireField, classes: number): Uint8Array {
  const fields = readFields(valueInfo.payload);
  const typeIndex = fields.findIndex((f) => f.field === ValueInfoField.type);
  const kept = fields.filter((f) => f.field !== ValueInfoField.type).map((f) => f.raw);
  kept.splice(typeIndex < 0 ? kept.length : typeIndex, 0, bytesField(ValueInfoField.type, float32TensorType(classes)));
  return concatBytes(kept);
}

/** The message again, each field copied as it stood except those given a replacement. */
function rebuild(fields: WireField[], replaced: Map<WireField, Uint8Array>): Uint8Array {
  return concatBytes(fields.map((f) => replaced.get(f) ?? f.raw));
}
