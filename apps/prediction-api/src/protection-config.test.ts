// API_KEYS, the rate limit, TRUST_PROXY, METRICS_PUBLIC and REQUEST_TIMEOUT_MS as read from the environment:
// defaults that leave a local server open, and refusals that name the variable but never echo a key.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { readServerConfig } from './config';
import { matchApiKey, parseApiKeys } from './middleware/api-keys';

const digestOf = (key: string) => createHash('sha256').update(key).digest();

describe('protection config', () => {
  it('defaults: no keys, no rate limit, a 30 s timeout, /metrics behind keys when there are any', () => {
    expect(readServerConfig({}).protection).toEqual({
      apiKeys: [],
      metricsPublic: false,
      rateLimit: null,
      trustProxy: false,
      requestTimeoutMs: 30_000,
      maxInFlight: 256,
      saturatedInFlight: 0,
    });
    expect(readServerConfig({ API_KEYS: ' , ' }).protection.apiKeys).toEqual([]);
  });

  it('reads every setting', () => {
    const hex = createHash('sha256').update('second-key').digest('hex').toUpperCase();
    const { protection } = readServerConfig({
      API_KEYS: ` first-key ,sha256:${hex}`,
      METRICS_PUBLIC: 'true',
      RATE_LIMIT_PER_MINUTE: '120',
      RATE_LIMIT_BURST: '10',
      TRUST_PROXY: '1',
      REQUEST_TIMEOUT_MS: '0',
      MAX_IN_FLIGHT: '0',
      SATURATED_IN_FLIGHT: '48',
    });
    expect(protection).toEqual({
      apiKeys: [digestOf('first-key'), digestOf('second-key')],
      metricsPublic: true,
      rateLimit: { perMinute: 120, burst: 10 },
      trustProxy: true,
      requestTimeoutMs: 0,
      maxInFlight: 0,
      saturatedInFlight: 48,
    });
  });

  it('the burst defaults to a minute’s worth', () => {
    expect(readServerConfig({ RATE_LIMIT_PER_MINUTE: '300' }).protection.rateLimit).toEqual({ perMinute: 300, burst: 300 });
  });

  it('refuses a sha256: entry that is not 64 hex digits, naming its position and not its value', () => {
    expect(() => readServerConfig({ API_KEYS: 'good-key,sha256:c0ffee' })).toThrow(
      'invalid configuration: API_KEYS: entry 2 starts with sha256: but is not followed by 64 hex digits',
    );
    expect(() => readServerConfig({ API_KEYS: 'good-key,,other-key' })).toThrow(
      'invalid configuration: API_KEYS: entry 2 is empty (stray comma?)',
    );
  });

  it('refuses flags and numbers it cannot read', () => {
    expect(() => readServerConfig({ TRUST_PROXY: 'yes' })).toThrow(/^invalid configuration: TRUST_PROXY: /);
    expect(() => readServerConfig({ RATE_LIMIT_PER_MINUTE: '-1' })).toThrow(/^invalid configuration: RATE_LIMIT_PER_MINUTE: /);
    expect(() => readServerConfig({ RATE_LIMIT_BURST: '0' })).toThrow(/^invalid configuration: RATE_LIMIT_BURST: /);
    expect(() => readServerConfig({ REQUEST_TIMEOUT_MS: 'soon' })).toThrow(/^invalid configuration: REQUEST_TIMEOUT_MS: /);
    expect(() => readServerConfig({ MAX_IN_FLIGHT: '-1' })).toThrow(/^invalid configuration: MAX_IN_FLIGHT: /);
  });

  it('matches a presented key to its configured position, whichever form configured it', () => {
    const digests = parseApiKeys(`alpha,sha256:${createHash('sha256').update('beta').digest('hex')}`);
    expect(matchApiKey(digests, 'alpha')).toBe(0);
    expect(matchApiKey(digests, 'beta')).toBe(1);
    expect(matchApiKey(digests, 'gamma')).toBeUndefined();
    expect(matchApiKey(digests, '')).toBeUndefined();
  });
});
