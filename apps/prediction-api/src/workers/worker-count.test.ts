// WEB_CONCURRENCY and WORKER_MEMORY_MB as read from the environment, and the number of workers they make.
import { availableParallelism, totalmem } from 'node:os';
import { describe, expect, it } from 'vitest';
import { readServerConfig } from '../config';
import { memoryLimitMb, planWorkers } from './worker-count';
import { workerConfig } from './worker-link';

describe('workers config', () => {
  it('defaults to one worker per CPU this process may use, with no cap by memory', () => {
    expect(readServerConfig({}).workers).toEqual({ wanted: availableParallelism(), memoryMbEach: null });
    expect(readServerConfig({ WEB_CONCURRENCY: '1', WORKER_MEMORY_MB: '300' }).workers).toEqual({ wanted: 1, memoryMbEach: 300 });
  });

  it('refuses a count or a budget it cannot read, naming the variable', () => {
    for (const value of ['0', 'two', '1.5', '-2', '']) {
      expect(() => readServerConfig({ WEB_CONCURRENCY: value }), value).toThrow(/^invalid configuration: WEB_CONCURRENCY: /);
    }
    expect(() => readServerConfig({ WORKER_MEMORY_MB: '0' })).toThrow(/^invalid configuration: WORKER_MEMORY_MB: /);
  });
});

describe('planWorkers', () => {
  it('is WEB_CONCURRENCY without WORKER_MEMORY_MB', () => {
    expect(planWorkers({ wanted: 8, memoryMbEach: null }, 512)).toEqual({ workers: 8, wanted: 8, memoryMb: 512, memoryMbEach: null });
  });

  it('is min(WEB_CONCURRENCY, floor(memory / WORKER_MEMORY_MB)), and at least one', () => {
    expect(planWorkers({ wanted: 8, memoryMbEach: 250 }, 1024).workers).toBe(4);
    expect(planWorkers({ wanted: 2, memoryMbEach: 250 }, 1024).workers).toBe(2);
    expect(planWorkers({ wanted: 8, memoryMbEach: 2048 }, 1024).workers).toBe(1);
  });

  it('reads the memory this process may use: at most the machine’s', () => {
    const mb = memoryLimitMb();
    expect(mb).toBeGreaterThan(0);
    expect(mb).toBeLessThanOrEqual(Math.floor(totalmem() / 1024 / 1024));
  });
});

describe('workerConfig', () => {
  it('gives each worker its own S3 mirror folder and a drain that ends before the primary’s deadline', () => {
    const config = readServerConfig({ MODEL_S3_URI: 's3://bucket/models/', MODEL_CACHE_DIR: '/cache', SHUTDOWN_TIMEOUT_MS: '10000' });
    const own = workerConfig(config, 2);
    expect(own.s3Models?.cacheDir).toBe('/cache/worker-2');
    expect(own.shutdownTimeoutMs).toBe(9500);
    expect(workerConfig({ ...config, shutdownTimeoutMs: 1000 }, 1).shutdownTimeoutMs).toBe(900);
    expect(workerConfig(readServerConfig({}), 1).s3Models).toBeNull();
  });
});
