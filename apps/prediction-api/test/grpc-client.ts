// A real grpc-js client over the server's own .proto files (as a user's client loads them), with each unary method
// as a promise that resolves with the answer or rejects with the call's ServiceError.
import { credentials, loadPackageDefinition, Metadata, type Client, type ServiceError } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { protoDir, protoFiles, protoLoaderOptions } from '../src/grpc/grpc-protos';
import { contentsFieldOf } from '../src/grpc/infer-messages';

type UnaryMethod = (request: unknown, metadata: Metadata, options: { deadline?: Date }, callback: (err: ServiceError | null, response: unknown) => void) => unknown;
type Constructor = new (address: string, creds: ReturnType<typeof credentials.createInsecure>) => Client & Record<string, UnaryMethod>;

// Response bodies are asserted whole in tests, so they are typed loosely here.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Message = any;

export interface GrpcTestClient {
  /** One call of `service` (inference or health); metadata as plain pairs. */
  call(method: string, request: unknown, metadata?: Record<string, string>, service?: 'inference' | 'health'): Promise<Message>;
  /** The metadata the server sent back with the last call's answer (its x-request-id). */
  lastMetadata(): Metadata | undefined;
  raw: { inference: Client & Record<string, UnaryMethod>; health: Client & Record<string, UnaryMethod> };
  close(): void;
}

const definition = loadPackageDefinition(loadSync(Object.values(protoFiles).map((file) => `${protoDir}${file}`), protoLoaderOptions)) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export function grpcClient(port: number): GrpcTestClient {
  const address = `127.0.0.1:${port}`;
  const Inference = definition['inference']['GRPCInferenceService'] as Constructor;
  const Health = definition['grpc']['health']['v1']['Health'] as Constructor;
  const raw = { inference: new Inference(address, credentials.createInsecure()), health: new Health(address, credentials.createInsecure()) };
  let last: Metadata | undefined;
  return {
    raw,
    lastMetadata: () => last,
    call: (method, request, pairs = {}, service = 'inference') =>
      new Promise((resolve, reject) => {
        const metadata = new Metadata();
        for (const [name, value] of Object.entries(pairs)) metadata.set(name, value);
        const client = raw[service];
        const call = client[method]!.call(client, request, metadata, {}, (err, response) => (err ? reject(err) : resolve(response))) as {
          on(event: 'metadata', listener: (metadata: Metadata) => void): void;
        };
        call.on('metadata', (received) => (last = received));
      }),
    close: () => {
      raw.inference.close();
      raw.health.close();
    },
  };
}


/** The contents field a datatype's typed elements go in, for requests the tests build. */
export const contentsField = (datatype: string): string => contentsFieldOf(datatype)!;

const rawArrays: Record<string, { BYTES_PER_ELEMENT: number; new (buffer: ArrayBuffer): ArrayLike<unknown> }> = {
  BOOL: Uint8Array,
  UINT8: Uint8Array,
  UINT16: Uint16Array,
  UINT32: Uint32Array,
  UINT64: BigUint64Array,
  INT8: Int8Array,
  INT16: Int16Array,
  INT32: Int32Array,
  INT64: BigInt64Array,
  FP16: Uint16Array,
  FP32: Float32Array,
  FP64: Float64Array,
};

/** Raw bytes of BYTES elements: each a 4-byte little-endian length, then its UTF-8 bytes. */
export function rawStrings(texts: string[]): Buffer {
  return Buffer.concat(texts.flatMap((text) => {
    const bytes = Buffer.from(text, 'utf8');
    const length = Buffer.alloc(4);
    length.writeUInt32LE(bytes.length);
    return [length, bytes];
  }));
}

/**
 * Output `index` of a ModelInfer answer as plain values, read from its typed contents or its raw_output_contents
 * (whichever the server used): numbers, bigints for 64-bit integers, booleans for BOOL, strings for BYTES.
 */
export function outputValues(response: Message, index: number): unknown[] {
  const output = response.outputs[index];
  const raw: Buffer | undefined = response.raw_output_contents[index];
  if (raw === undefined) {
    const values = output.contents[contentsField(output.datatype)] as unknown[];
    if (output.datatype === 'INT64' || output.datatype === 'UINT64') return values.map((value) => BigInt(value as string));
    if (output.datatype === 'BYTES') return (values as Buffer[]).map((bytes) => bytes.toString('utf8'));
    return values;
  }
  if (output.datatype === 'BYTES') {
    const texts: string[] = [];
    for (let offset = 0; offset < raw.length; ) {
      const length = raw.readUInt32LE(offset);
      texts.push(raw.subarray(offset + 4, offset + 4 + length).toString('utf8'));
      offset += 4 + length;
    }
    return texts;
  }
  const copy = new Uint8Array(raw).buffer;
  const values = Array.from(new rawArrays[output.datatype]!(copy));
  return output.datatype === 'BOOL' ? values.map((value) => value !== 0) : values;
}
