// The .proto files of the gRPC server, read at start from the `proto/` folder beside this module: in the source tree
// that is src/grpc/proto/, in the server bundle the proto/ folder beside main.js (the bundle step copies it there).
// Clients load the same files with the same options (README: "gRPC").
import { fileURLToPath } from 'node:url';
import { loadSync, type Options, type PackageDefinition } from '@grpc/proto-loader';

export const protoDir = fileURLToPath(new URL('./proto/', import.meta.url));

export const protoFiles = { inference: 'grpc_predict_v2.proto', health: 'health.proto' } as const;

/**
 * Field names as the .proto spells them; 64-bit integers as decimal strings, which keeps every int64/uint64 exact and
 * is what the tensor codec reads beyond ±(2^53-1); enums by name; unset fields as their defaults (empty lists, 0,
 * "", and null for messages, so an input without `contents` is told apart).
 */
export const protoLoaderOptions: Options = { keepCase: true, longs: String, enums: String, defaults: true, oneofs: true, includeDirs: [protoDir] };

export function loadProtos(): PackageDefinition {
  return loadSync(Object.values(protoFiles), protoLoaderOptions);
}
