// Which files an ONNX model keeps its tensors in besides itself ("external data": torch's exporter writes the
// weights to <model>.onnx.data by default). Read from the wire: every tensor of the graph, its subgraphs and
// functions whose data_location is EXTERNAL names its file in external_data["location"].
import { type WireField, readFields, varintOf } from './protobuf-wire';
import { GraphField, ModelField, NodeField, TensorField, dataLocationExternal, fieldsNumbered, stringEntries } from './onnx-proto';

const ModelFunctions = 25;
const GraphSparseInitializer = 15;
const FunctionNode = 7;
const Attribute = { t: 5, g: 6, tensors: 10, graphs: 11, sparseTensor: 22, sparseTensors: 23 } as const;
const SparseTensor = { values: 1, indices: 2 } as const;

/** The distinct `location`s the model's external tensors name, in the order first met. */
export function externalDataLocations(modelBytes: Uint8Array): string[] {
  const locations = new Set<string>();
  const model = readFields(modelBytes);
  for (const graph of fieldsNumbered(model, ModelField.graph)) visitGraph(graph.payload, locations);
  for (const fn of fieldsNumbered(model, ModelFunctions)) {
    for (const node of fieldsNumbered(readFields(fn.payload), FunctionNode)) visitNode(node.payload, locations);
  }
  return [...locations];
}

function visitGraph(payload: Uint8Array, locations: Set<string>): void {
  const graph = readFields(payload);
  for (const tensor of fieldsNumbered(graph, GraphField.initializer)) visitTensor(tensor.payload, locations);
  for (const sparse of fieldsNumbered(graph, GraphSparseInitializer)) visitSparse(sparse.payload, locations);
  for (const node of fieldsNumbered(graph, GraphField.node)) visitNode(node.payload, locations);
}

// Only the attribute fields that can hold tensors: the rest (a forest's thousands of numbers) are stepped over.
const tensorAttributes = new Set<number>(Object.values(Attribute));
const tensorLocationFields = new Set<number>([TensorField.dataLocation, TensorField.externalData]);

function visitNode(payload: Uint8Array, locations: Set<string>): void {
  for (const attribute of fieldsNumbered(readFields(payload), NodeField.attribute)) {
    for (const field of readFields(attribute.payload, tensorAttributes)) visitAttributeField(field, locations);
  }
}

function visitAttributeField(field: WireField, locations: Set<string>): void {
  if (field.field === Attribute.t || field.field === Attribute.tensors) visitTensor(field.payload, locations);
  else if (field.field === Attribute.g || field.field === Attribute.graphs) visitGraph(field.payload, locations);
  else if (field.field === Attribute.sparseTensor || field.field === Attribute.sparseTensors) visitSparse(field.payload, locations);
}

function visitSparse(payload: Uint8Array, locations: Set<string>): void {
  const sparse = readFields(payload);
  for (const tensor of [...fieldsNumbered(sparse, SparseTensor.values), ...fieldsNumbered(sparse, SparseTensor.indices)]) {
    visitTensor(tensor.payload, locations);
  }
}

function visitTensor(payload: Uint8Array, locations: Set<string>): void {
  const tensor = readFields(payload, tensorLocationFields);
  const location = tensor.findLast((f) => f.field === TensorField.dataLocation);
  if (!location || varintOf(location) !== dataLocationExternal) return;
  const file = stringEntries(fieldsNumbered(tensor, TensorField.externalData)).get('location');
  if (file !== undefined) locations.add(file);
}
