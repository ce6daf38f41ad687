// GRPC_PORT as config.ts reads it: 8081 by default, `off` for no gRPC server, 0 for any free port, and anything else
// refused at start naming the variable.
import { describe, expect, it } from 'vitest';
import { readServerConfig } from '../config';

describe('GRPC_PORT', () => {
  it('is 8081 unless set; off turns the gRPC server off; 0 takes any free port', () => {
    expect(readServerConfig({}).grpcPort).toBe(8081);
    expect(readServerConfig({ GRPC_PORT: 'off' }).grpcPort).toBeNull();
    expect(readServerConfig({ GRPC_PORT: '0' }).grpcPort).toBe(0);
    expect(readServerConfig({ GRPC_PORT: '50051' }).grpcPort).toBe(50051);
  });

  it('refuses a value that is no port, naming the variable', () => {
    for (const value of ['70000', 'none', '80.5', '-1']) {
      expect(() => readServerConfig({ GRPC_PORT: value }), value).toThrow('invalid configuration: GRPC_PORT: must be a port from 0 to 65535, or off');
    }
  });
});
