// A real grpc-js client over the server's own .proto files (as a user's client loads them), with each unary method
// as a promise that resolves with the answer or rejects with the call's ServiceError.
import { credentials, loadPackageDefinition, Metadata, type Client, type ServiceError } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { protoDir, protoFiles, protoLoaderOptions } from '../src/grpc/grpc-protos';

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
