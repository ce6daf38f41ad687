// The primary's side of /metrics (primary.ts loads it once the workers are forked): what a worker's scrape answers.
import { AggregatorRegistry, Counter, Gauge, Registry } from 'prom-client';

/**
 * What a worker's /metrics answers: every worker's registry aggregated by prom-client (counters and histograms
 * summed; each metric's own `aggregator` otherwise), then the primary's own two. `running`: the workers running now.
 */
export function primaryMetrics(running: () => number): { scrape: () => Promise<string>; restarts: Counter } {
  const aggregator = new AggregatorRegistry();
  const own = new Registry();
  new Gauge({
    name: 'worker_processes',
    help: 'Worker processes running (WEB_CONCURRENCY once all have started)',
    registers: [own],
    collect() {
      this.set(running());
    },
  });
  const restarts = new Counter({ name: 'worker_restarts_total', help: 'Workers restarted after they exited', registers: [own] });
  return {
    scrape: async () => `${await aggregator.clusterMetrics()}\n${await own.metrics()}`,
    restarts,
  };
}
