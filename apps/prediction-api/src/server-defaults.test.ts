// The server's defaults that the deploy files are written for (deploy/test/other-hosts.test.ts holds them to the
// same numbers, from outside the app): the port the Dockerfile exposes and the hosts forward to, and the drain.
import { describe, expect, it } from 'vitest';
import { readServerConfig } from './config';

describe('server defaults', () => {
  it('listens on 0.0.0.0:8080 and drains for 10 s, unless PORT, HOST or SHUTDOWN_TIMEOUT_MS say otherwise', () => {
    const defaults = readServerConfig({});
    expect([defaults.host, defaults.port, defaults.shutdownTimeoutMs]).toEqual(['0.0.0.0', 8080, 10_000]);
    const set = readServerConfig({ PORT: '5000', HOST: '127.0.0.1', SHUTDOWN_TIMEOUT_MS: '8000' });
    expect([set.host, set.port, set.shutdownTimeoutMs]).toEqual(['127.0.0.1', 5000, 8000]);
  });
});
