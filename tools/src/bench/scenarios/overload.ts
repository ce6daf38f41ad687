// Twice the saturating load on the full server, with MAX_IN_FLIGHT alone and with SATURATED_IN_FLIGHT=48 (1 worker, so the load generator has the other core), open loop: the
// rate is held whatever the answers take, as real clients keep arriving. Saturation is the highest open-loop 1-row
// rate it keeps up with (openLoopSaturation, searched from wrk's closed-loop rate), measured here first. Targets: accepted requests' p99 ≤ 50 ms, refused ones (503
// overloaded) answered within 5 ms. Hono's hello world at the same rate is the floor: what the generator, loopback
// and node's HTTP server alone add to a latency.
import { percentile, type Server, startServer, wrk } from '../harness';
import { openLoop, type OpenLoopResult, openLoopSaturation } from '../open-loop';
import { type BenchContext, type Figures, diabetesBody, type ScenarioGroup, startFullServer } from './scenario';

export const overloadScenarios: ScenarioGroup = {
  name: 'overload',
  description: 'full server at twice its saturating 1-row load (open loop): accepted p99, refused latency; hello-world floor at the same rate',
  async setup(ctx: BenchContext) {
    const server = await startFullServer(ctx, 'full-overload', { WEB_CONCURRENCY: '1' });
    let hello: Server | undefined;
    let shedding: Server | undefined;
    try {
      shedding = await startFullServer(ctx, 'full-overload-saturated', { WEB_CONCURRENCY: '1', SATURATED_IN_FLIGHT: '48' });
      hello = await startServer({ name: 'hello-overload', args: [ctx.helloBundle, '0'], ready: { path: '/' }, logDir: ctx.logDir });
    } catch (err) {
      await Promise.all([server.stop(), shedding?.stop()]);
      throw err;
    }
    const floor = hello;
    const saturatedServer = shedding;
    const body = diabetesBody(1);
    const url = `${server.base}/v1/models/diabetes/predict`;
    const stopAll = () => Promise.all([server.stop(), saturatedServer.stop(), floor.stop()]).then(() => undefined);
    let closedLoop: number;
    let saturated: number;
    try {
      closedLoop = wrk(url, { body, connections: ctx.connections, seconds: Math.max(2, ctx.seconds), scratch: ctx.scratch }).rps;
      saturated = await openLoopSaturation(url, body, closedLoop);
    } catch (err) {
      // The run's teardown covers only setups that returned: these servers would outlive it.
      await stopAll();
      throw err;
    }
    const rate = Math.max(10, Math.round(2 * saturated));
    return {
      cases: [
        {
          name: 'overload: full, 1 worker, 2x saturation',
          run: async () => ({ saturatedRps: saturated, closedLoopRps: closedLoop, offeredRps: rate, ...overloadFigures(await openLoop(url, { body, rate, seconds: ctx.seconds }), ctx.seconds) }),
        },
        {
          name: 'overload: full, 1 worker, 2x saturation, SATURATED_IN_FLIGHT=48',
          run: async () =>
            overloadFigures(await openLoop(`${saturatedServer.base}/v1/models/diabetes/predict`, { body, rate, seconds: ctx.seconds }), ctx.seconds),
        },
        {
          name: 'overload: hello-world floor, same rate',
          run: async () => overloadFigures(await openLoop(`${floor.base}/`, { rate, seconds: ctx.seconds }), ctx.seconds),
        },
      ],
      teardown: stopAll,
    };
  },
};

function overloadFigures({ byStatus, errors, sent, sendLateness }: OpenLoopResult, seconds: number): Figures {
  const accepted = [...byStatus].filter(([status]) => status >= 200 && status < 300).flatMap(([, l]) => l);
  const refused = byStatus.get(503) ?? [];
  const other = [...byStatus].filter(([status]) => (status < 200 || status >= 300) && status !== 503).reduce((n, [, l]) => n + l.length, 0);
  return {
    sent,
    acceptedRps: accepted.length / seconds,
    acceptedP50Ms: percentile(accepted, 50),
    acceptedP99Ms: percentile(accepted, 99),
    refused: refused.length,
    refusedP50Ms: percentile(refused, 50),
    refusedP99Ms: percentile(refused, 99),
    refusedMaxMs: refused.length ? refused.reduce((a, b) => Math.max(a, b)) : Number.NaN,
    otherStatus: other,
    socketErrors: errors,
    sendLateP99Ms: percentile(sendLateness, 99),
  };
}
