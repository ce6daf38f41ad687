// The hot-path counter and histogram must scrape exactly as prom-client's own would for the same observations:
// prom-client is the oracle, fed the same random observations in a registry of its own.
import { Counter, Histogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { KeyedCounter, KeyedHistogram } from './keyed-metrics';
import { parseExposition } from '@onnx-serve/testing';

const buckets = [0.001, 0.01, 0.1, 1, 10];
const routes = ['/v1/models/:name/predict', '/health', '/*', 'a "quoted" \\ route\nwith a newline'];

function seeded(seed: number): () => number {
  let s = seed;
  return () => ((s = (s * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
}

/** Each sample's value by its name and label set, whatever order the lines come in. */
const byIdentity = (text: string) =>
  Object.fromEntries(parseExposition(text).map((s) => [`${s.name} ${JSON.stringify(Object.entries(s.labels).sort())}`, s.value]));

describe('keyed metrics', () => {
  it('scrape as prom-client does for the same observations, bucket bounds and label escaping included', async () => {
    const ours = new Registry();
    const theirs = new Registry();
    const counter = new KeyedCounter({ name: 'requests_total', help: 'h', labelNames: ['method', 'route', 'status'], registry: ours });
    const histogram = new KeyedHistogram({ name: 'duration_seconds', help: 'h', labelNames: ['route'], buckets, registry: ours });
    const oracleCounter = new Counter({ name: 'requests_total', help: 'h', labelNames: ['method', 'route', 'status'], registers: [theirs] });
    const oracleHistogram = new Histogram({ name: 'duration_seconds', help: 'h', labelNames: ['route'], buckets, registers: [theirs] });

    const random = seeded(7);
    for (let i = 0; i < 2000; i++) {
      const route = routes[Math.floor(random() * routes.length)] as string;
      const status = random() < 0.8 ? '200' : '422';
      // Values on the bounds themselves too: `le` is inclusive.
      const value = random() < 0.2 ? (buckets[Math.floor(random() * buckets.length)] as number) : random() ** 3 * 20;
      counter.inc(['POST', route, status]);
      oracleCounter.inc({ method: 'POST', route, status });
      histogram.observe([route], value);
      oracleHistogram.observe({ route }, value);
    }
    const [oursText, theirsText] = [await ours.metrics(), await theirs.metrics()];
    expect(byIdentity(oursText)).toEqual(byIdentity(theirsText));
    expect(oursText).toContain('# TYPE duration_seconds histogram');
    expect(oursText).toContain('# TYPE requests_total counter');
  });

  it('refuses a wrong number of label values and a value that is not a finite number', () => {
    const registry = new Registry();
    const histogram = new KeyedHistogram({ name: 'h_seconds', help: 'h', labelNames: ['model', 'version'], buckets, registry });
    expect(() => histogram.observe(['iris'], 1)).toThrow(/takes labels model, version, got 1 values/);
    expect(() => histogram.observe(['iris', '1'], Number.NaN)).toThrow(/not a finite number/);
  });

  it('is cleared by the registry’s resetMetrics', async () => {
    const registry = new Registry();
    const counter = new KeyedCounter({ name: 'c_total', help: 'h', labelNames: ['route'], registry });
    counter.inc(['/x'], 3);
    expect(parseExposition(await registry.metrics())).toEqual([{ name: 'c_total', labels: { route: '/x' }, value: 3 }]);
    registry.resetMetrics();
    expect(parseExposition(await registry.metrics())).toEqual([]);
  });
});
