// Tiny ONNX models written byte by byte for the V2 tests, so every element type goes through a real onnxruntime
// session both ways with no model file to ship. ONNX files are plain protobuf; only the fields used here are written.
import type { TensorDtype } from '@onnx-serve/feature-spec';

/** TensorProto.DataType numbers. */
const elemTypes: Record<TensorDtype, number> = {
  float32: 1,
  uint8: 2,
  int8: 3,
  uint16: 4,
  int16: 5,
  int32: 6,
  int64: 7,
  string: 8,
  bool: 9,
  float16: 10,
  float64: 11,
  uint32: 12,
  uint64: 13,
};

/** A graph input or output: a tensor (dims: numbers, or names for dynamic axes) or a sequence of tensors. */
export interface ValueSpec {
  name: string;
  dtype: TensorDtype;
  dims: (number | string)[];
  sequence?: boolean;
}

const text = new TextEncoder();

function varint(value: number): number[] {
  const bytes: number[] = [];
  let rest = value;
  while (rest > 127) {
    bytes.push((rest & 127) | 128);
    rest = Math.floor(rest / 128);
  }
  bytes.push(rest);
  return bytes;
}

/** A varint field (wire type 0). */
const int = (field: number, value: number): number[] => [...varint(field << 3), ...varint(value)];

/** A length-delimited field (wire type 2): a string or an embedded message. */
function bytes(field: number, payload: string | number[]): number[] {
  const body = typeof payload === 'string' ? [...text.encode(payload)] : payload;
  return [...varint((field << 3) | 2), ...varint(body.length), ...body];
}

function tensorType({ dtype, dims }: ValueSpec): number[] {
  const shape = dims.flatMap((dim) => bytes(1, typeof dim === 'number' ? int(1, dim) : bytes(2, dim)));
  return [...int(1, elemTypes[dtype]), ...bytes(2, shape)];
}

function valueInfo(value: ValueSpec): number[] {
  const tensor = bytes(1, tensorType(value));
  // TypeProto: tensor_type = 1, sequence_type = 4 (whose elem_type = 1 is again a TypeProto).
  return [...bytes(1, value.name), ...bytes(2, value.sequence ? bytes(4, bytes(1, tensor)) : tensor)];
}

export interface NodeSpec {
  op: string;
  inputs: string[];
  outputs: string[];
  /** Integer attributes, such as Cast's `to` (a TensorProto.DataType number). */
  ints?: Record<string, number>;
}

/** An AttributeProto of type INT (2): name = 1, i = 3, type = 20. */
const intAttribute = (name: string, value: number): number[] => [...bytes(1, name), ...int(3, value), ...int(20, 2)];

/** A ModelProto (IR 8, opset 17) of these nodes between these graph inputs and outputs. */
export function onnxModel(nodes: NodeSpec[], inputs: ValueSpec[], outputs: ValueSpec[]): Uint8Array {
  const graph = [
    ...nodes.flatMap((node, i) =>
      bytes(1, [
        ...node.inputs.flatMap((name) => bytes(1, name)),
        ...node.outputs.flatMap((name) => bytes(2, name)),
        ...bytes(3, `node${i}`),
        ...bytes(4, node.op),
        ...Object.entries(node.ints ?? {}).flatMap(([name, value]) => bytes(5, intAttribute(name, value))),
      ]),
    ),
    ...bytes(2, 'v2-test-graph'),
    ...inputs.flatMap((input) => bytes(11, valueInfo(input))),
    ...outputs.flatMap((output) => bytes(12, valueInfo(output))),
  ];
  return Uint8Array.from([...int(1, 8), ...bytes(7, graph), ...bytes(8, int(2, 17))]);
}

/** input "x" → Cast → output "y" of another dtype, both of this shape. */
export function castModel(from: TensorDtype, to: TensorDtype, dims: (number | string)[]): Uint8Array {
  const cast = { op: 'Cast', inputs: ['x'], outputs: ['y'], ints: { to: elemTypes[to] } };
  return onnxModel([cast], [{ name: 'x', dtype: from, dims }], [{ name: 'y', dtype: to, dims }]);
}

/** input "x" → Identity → output "y", both of this dtype and shape. */
export function identityModel(dtype: TensorDtype, dims: (number | string)[]): Uint8Array {
  return onnxModel([{ op: 'Identity', inputs: ['x'], outputs: ['y'] }], [{ name: 'x', dtype, dims }], [{ name: 'y', dtype, dims }]);
}
