// A heavier model for the batching scenarios, written by hand so the benchmark needs no Python: an MLP regressor
// over the diabetes features (X float32 [N,10] → variable float32 [N,1]), hidden layers of `width` ReLU units with
// fixed pseudo-random weights. Its single-row run costs ~width² multiply-adds per layer, which batching amortises;
// the values mean nothing. Written to a model store folder with the diabetes spec (and `batching` when asked).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const varint = (value: number): number[] => {
  const out: number[] = [];
  let v = value;
  while (v >= 0x80) {
    out.push((v % 0x80) | 0x80);
    v = Math.floor(v / 0x80);
  }
  out.push(v);
  return out;
};
type Bytes = Uint8Array | number[];
const join_ = (parts: Bytes[]): Uint8Array => Buffer.concat(parts.map((p) => (p instanceof Uint8Array ? p : Uint8Array.from(p))));
const message = (field: number, payload: Bytes): Uint8Array => join_([varint((field << 3) | 2), varint(payload.length), payload]);
const text = (field: number, value: string): Uint8Array => message(field, new TextEncoder().encode(value));
const number = (field: number, value: number): Uint8Array => join_([varint(field << 3), varint(value)]);

const float32 = 1;
/** ValueInfoProto of a float tensor [N, width] with a dynamic first axis. */
function valueInfo(name: string, width: number): Uint8Array {
  const shape = message(2, join_([message(1, text(2, 'N')), message(1, number(1, width))]));
  return join_([text(1, name), message(2, message(1, join_([number(1, float32), shape])))]);
}

function initializer(name: string, dims: number[], data: Float32Array): Uint8Array {
  return join_([...dims.map((d) => number(1, d)), number(2, float32), text(8, name), message(9, new Uint8Array(data.buffer))]);
}

function node(op: string, inputs: string[], output: string): Uint8Array {
  return join_([...inputs.map((i) => text(1, i)), text(2, output), text(4, op)]);
}

/** The ONNX bytes of the MLP: `layers` hidden layers of `width` units. */
export function mlpModel(width: number, layers: number): Uint8Array {
  let seed = 12345;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31 - 0.5) * 0.2;
  const weights = (rows: number, cols: number) => Float32Array.from({ length: rows * cols }, random);
  const nodes: Uint8Array[] = [];
  const inits: Uint8Array[] = [];
  let input = 'X';
  let inputWidth = 10;
  for (let layer = 0; layer <= layers; layer++) {
    const last = layer === layers;
    const outWidth = last ? 1 : width;
    inits.push(initializer(`W${layer}`, [inputWidth, outWidth], weights(inputWidth, outWidth)));
    inits.push(initializer(`B${layer}`, [outWidth], weights(1, outWidth)));
    nodes.push(node('MatMul', [input, `W${layer}`], `mm${layer}`));
    nodes.push(node('Add', [`mm${layer}`, `B${layer}`], last ? 'variable' : `pre${layer}`));
    if (!last) nodes.push(node('Relu', [`pre${layer}`], `h${layer}`));
    input = `h${layer}`;
    inputWidth = outWidth;
  }
  const graph = join_([
    ...nodes.map((n) => message(1, n)),
    text(2, 'mlp'),
    ...inits.map((i) => message(5, i)),
    message(11, valueInfo('X', 10)),
    message(12, valueInfo('variable', 1)),
  ]);
  return join_([number(1, 8), message(8, join_([text(1, ''), number(2, 15)])), message(7, graph)]);
}

/**
 * Writes `<store>/<name>/1/{model.onnx,spec.json}`: the MLP with the diabetes spec (same features, `X` and
 * `variable`), with `batching` set when given. Returns the model folder.
 */
export function writeHeavyModel(
  store: string,
  name: string,
  options: { width: number; layers: number; batching?: { maxRows: number; maxWaitMicros: number } },
  workspaceRoot: string,
): string {
  const dir = join(store, name, '1');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'model.onnx'), mlpModel(options.width, options.layers));
  const spec = JSON.parse(readFileSync(join(workspaceRoot, 'test-fixtures/models/diabetes/1/spec.json'), 'utf8')) as Record<string, unknown>;
  const description = `A synthetic MLP (${options.layers} x ${options.width} ReLU) over the diabetes features, for benchmarks: its values mean nothing.`;
  writeFileSync(join(dir, 'spec.json'), JSON.stringify({ ...spec, description, ...(options.batching ? { batching: options.batching } : {}) }, null, 1));
  return dir;
}
