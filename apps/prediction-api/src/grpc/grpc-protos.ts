// The .proto files of the gRPC server, read at start from the `proto/` folder beside this module: in the source tree
// that is src/grpc/proto/, in the server bundle the proto/ folder beside main.js (the bundle step copies it there).
// Clients load the same files with proto-loader and the same options (README: "gRPC").
import { isAbsolute, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Options } from '@grpc/proto-loader';
import type { MethodDefinition, ServiceDefinition } from '@grpc/grpc-js';
import protobuf from 'protobufjs';

export const protoDir = fileURLToPath(new URL('./proto/', import.meta.url));

export const protoFiles = { inference: 'grpc_predict_v2.proto', health: 'health.proto' } as const;

/**
 * Field names as the .proto spells them; 64-bit integers as decimal strings, which keeps every int64/uint64 exact and
 * is what the tensor codec reads beyond ±(2^53-1); enums by name; unset fields as their defaults (empty lists, 0,
 * "", and null for messages, so an input without `contents` is told apart).
 */
export const protoLoaderOptions: Options = { keepCase: true, longs: String, enums: String, defaults: true, oneofs: true, includeDirs: [protoDir] };

/**
 * Every service of the .proto files by its full name, each method (de)serialized as proto-loader's package
 * definition does it with protoLoaderOptions. Built with protobufjs itself: proto-loader also describes every message
 * as descriptor protos, for reflection, which this server does not offer; that was most of the gRPC server's start.
 */
export function loadServiceDefinitions(): Record<string, ServiceDefinition> {
  const root = new protobuf.Root();
  root.resolvePath = (_origin, target) => (isAbsolute(target) ? target : join(protoDir, target));
  root.loadSync(Object.values(protoFiles), { keepCase: true });
  root.resolveAll();
  const services: Record<string, ServiceDefinition> = {};
  const visit = (namespace: protobuf.NamespaceBase) => {
    for (const nested of namespace.nestedArray) {
      if (nested instanceof protobuf.Service) services[nested.fullName.slice(1)] = serviceDefinition(nested);
      else if (nested instanceof protobuf.Namespace) visit(nested);
    }
  };
  visit(root);
  return services;
}

function serviceDefinition(service: protobuf.Service): ServiceDefinition {
  const definition: Record<string, MethodDefinition<object, object>> = {};
  for (const method of service.methodsArray) {
    // resolveAll() has resolved every method's types.
    const request = method.resolvedRequestType as protobuf.Type;
    const response = method.resolvedResponseType as protobuf.Type;
    definition[method.name] = {
      path: `/${service.fullName.slice(1)}/${method.name}`,
      requestStream: Boolean(method.requestStream),
      responseStream: Boolean(method.responseStream),
      requestSerialize: serializer(request),
      requestDeserialize: deserializer(request),
      responseSerialize: serializer(response),
      responseDeserialize: deserializer(response),
    };
  }
  return definition as ServiceDefinition;
}

const serializer = (type: protobuf.Type) => (value: object): Buffer => {
  if (Array.isArray(value)) throw new Error(`Failed to serialize message: expected object with ${type.name} structure, got array instead`);
  // protobufjs's writer makes a Buffer under node.
  return type.encode(type.fromObject(value)).finish() as Buffer;
};

const deserializer = (type: protobuf.Type) => (bytes: Buffer): object => type.toObject(type.decode(bytes), protoLoaderOptions);
