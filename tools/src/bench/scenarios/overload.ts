// Twice the saturating load on the full server (1 worker), open loop: the rate is held whatever the answers take,
// as real clients keep arriving. Saturation is the 1-row req/s wrk reaches with the usual connections, measured
// here first. Targets: accepted requests' p99 ≤ 50 ms, refused ones (503 overloaded) answered within 5 ms.
import { percentile, wrk } from '../harness';
import { openLoop } from '../open-loop';
import { type BenchContext, diabetesBody, type ScenarioGroup, startFullServer } from './scenario';

export const overloadScenarios: ScenarioGroup = {
  name: 'overload',
  description: 'full server at twice its saturating 1-row load (open loop): accepted p99, refused latency',
  async setup(ctx: BenchContext) {
    const server = await startFullServer(ctx, 'full-overload', { WEB_CONCURRENCY: '1' });
    const body = diabetesBody(1);
    const url = `${server.base}/v1/models/diabetes/predict`;
    const saturated = wrk(url, { body, connections: ctx.connections, seconds: Math.max(2, ctx.seconds), scratch: ctx.scratch }).rps;
    const rate = Math.max(10, Math.round(2 * saturated));
    return {
      cases: [
        {
          name: 'overload: full, 1 worker, 2x saturation',
          async run() {
            const { byStatus, errors, sent } = await openLoop(url, { body, rate, seconds: ctx.seconds });
            const accepted = [...byStatus].filter(([status]) => status >= 200 && status < 300).flatMap(([, l]) => l);
            const refused = byStatus.get(503) ?? [];
            const other = [...byStatus].filter(([status]) => (status < 200 || status >= 300) && status !== 503).reduce((n, [, l]) => n + l.length, 0);
            return {
              offeredRps: rate,
              sent,
              acceptedRps: accepted.length / ctx.seconds,
              acceptedP99Ms: percentile(accepted, 99),
              refused: refused.length,
              refusedP99Ms: percentile(refused, 99),
              refusedMaxMs: refused.length ? Math.max(...refused) : Number.NaN,
              otherStatus: other,
              socketErrors: errors,
            };
          },
        },
      ],
      teardown: () => server.stop(),
    };
  },
};
