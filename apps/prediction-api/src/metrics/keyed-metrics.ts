// Counters and histograms cheap enough for every request. prom-client's own convert, validate and hash the label
// object on each observation (~1.5 µs each, and a prediction makes four); these keep one record per label set,
// found through one map per label, and give prom-client's Registry the same samples when it is scraped. Label
// values must come from a small, bounded set (route patterns, model names), as for any Prometheus label.
import type { Metric, Registry } from 'prom-client';

interface Sample {
  metricName?: string;
  labels: Record<string, string | number>;
  value: number;
}

interface Series<T> {
  labels: Record<string, string>;
  data: T;
}

/** What prom-client's Registry reads from a metric: its name, and its samples at each scrape. */
abstract class KeyedMetric<T> {
  // One level of maps per label, so finding a series hashes each value (interned strings: once) and never
  // builds a joined key.
  private tree = new Map<string, unknown>();
  private readonly all: Series<T>[] = [];

  constructor(
    readonly name: string,
    readonly help: string,
    readonly type: 'counter' | 'histogram',
    private readonly labelNames: readonly string[],
    registry: Registry,
  ) {
    if (labelNames.length === 0) throw new Error(`${name}: keyed metrics need at least one label`);
    // The registry's types list prom-client's own classes; what it calls is name, get() and reset().
    registry.registerMetric(this as unknown as Metric);
  }

  protected abstract empty(): T;
  protected abstract samples(series: Series<T>): Sample[];

  /** The record of one label set (values in labelNames order), created on first use. */
  protected seriesOf(values: readonly string[]): T {
    const last = this.labelNames.length - 1;
    if (values.length !== this.labelNames.length) {
      throw new Error(`${this.name} takes labels ${this.labelNames.join(', ')}, got ${values.length} values`);
    }
    let level = this.tree;
    for (let i = 0; i < last; i++) {
      const value = values[i] as string;
      let next = level.get(value) as Map<string, unknown> | undefined;
      if (!next) level.set(value, (next = new Map()));
      level = next;
    }
    let found = level.get(values[last] as string) as Series<T> | undefined;
    if (!found) {
      found = { labels: Object.fromEntries(this.labelNames.map((n, i) => [n, values[i] as string])), data: this.empty() };
      level.set(values[last] as string, found);
      this.all.push(found);
    }
    return found.data;
  }

  get(): Promise<{ name: string; help: string; type: string; aggregator: 'sum'; values: Sample[] }> {
    const values = this.all.flatMap((s) => this.samples(s));
    return Promise.resolve({ name: this.name, help: this.help, type: this.type, aggregator: 'sum', values });
  }

  reset(): void {
    this.tree = new Map();
    this.all.length = 0;
  }
}

export class KeyedCounter extends KeyedMetric<{ value: number }> {
  constructor(options: { name: string; help: string; labelNames: readonly string[]; registry: Registry }) {
    super(options.name, options.help, 'counter', options.labelNames, options.registry);
  }

  inc(labelValues: readonly string[], by = 1): void {
    this.seriesOf(labelValues).value += by;
  }

  protected empty() {
    return { value: 0 };
  }

  protected samples({ labels, data }: Series<{ value: number }>): Sample[] {
    return [{ labels, value: data.value }];
  }
}

interface HistogramData {
  /** counts[i]: observations in (upperBounds[i-1], upperBounds[i]]; the last slot is above every bound. */
  counts: Float64Array;
  sum: number;
  count: number;
}

export class KeyedHistogram extends KeyedMetric<HistogramData> {
  private readonly upperBounds: readonly number[];

  constructor(options: { name: string; help: string; labelNames: readonly string[]; buckets: readonly number[]; registry: Registry }) {
    super(options.name, options.help, 'histogram', options.labelNames, options.registry);
    this.upperBounds = [...options.buckets].sort((a, b) => a - b);
  }

  observe(labelValues: readonly string[], value: number): void {
    if (!Number.isFinite(value)) throw new TypeError(`${this.name}: not a finite number: ${value}`);
    const data = this.seriesOf(labelValues);
    let slot = 0;
    while (slot < this.upperBounds.length && value > (this.upperBounds[slot] as number)) slot++;
    data.counts[slot] = (data.counts[slot] as number) + 1;
    data.sum += value;
    data.count += 1;
  }

  protected empty(): HistogramData {
    return { counts: new Float64Array(this.upperBounds.length + 1), sum: 0, count: 0 };
  }

  /** Prometheus buckets are cumulative: each `le` counts every observation at or below it. */
  protected samples({ labels, data }: Series<HistogramData>): Sample[] {
    let cumulative = 0;
    const buckets = this.upperBounds.map((le, i) => {
      cumulative += data.counts[i] as number;
      return { metricName: `${this.name}_bucket`, labels: { ...labels, le }, value: cumulative };
    });
    return [
      ...buckets,
      { metricName: `${this.name}_bucket`, labels: { ...labels, le: '+Inf' }, value: data.count },
      { metricName: `${this.name}_sum`, labels, value: data.sum },
      { metricName: `${this.name}_count`, labels, value: data.count },
    ];
  }
}
