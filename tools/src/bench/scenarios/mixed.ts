// Small requests beside big ones: single-row latency (wrk, few connections) while two clients stream 10,000-row
// batches back to back. Target: single-row p99 ≤ 10 ms.
import { percentile } from '../harness';
import { type BenchContext, diabetesBody, type ScenarioGroup, startFullServer, wrkCase } from './scenario';

export const mixedScenarios: ScenarioGroup = {
  name: 'mixed',
  description: 'single-row p99 while two clients stream 10,000-row batches',
  async setup(ctx: BenchContext) {
    const server = await startFullServer(ctx, 'full-mixed', { WEB_CONCURRENCY: '1' });
    const url = `${server.base}/v1/models/diabetes/predict`;
    const big = diabetesBody(10_000);
    const single = wrkCase(ctx, 'mixed: single rows', server, '/v1/models/diabetes/predict', { text: diabetesBody(1), rows: 1 }, 4);
    return {
      cases: [
        {
          name: 'mixed: 1-row requests beside two 10,000-row streams',
          async run() {
            let streaming = true;
            const bigLatencies: number[] = [];
            let bigFailures = 0;
            const stream = async () => {
              while (streaming) {
                const started = performance.now();
                const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: big }).catch(() => undefined);
                if (!res?.ok) bigFailures++;
                await res?.arrayBuffer();
                bigLatencies.push(performance.now() - started);
              }
            };
            const streams = [stream(), stream()];
            const figures = await single.run();
            streaming = false;
            await Promise.all(streams);
            return {
              singleRps: figures['rps'] ?? Number.NaN,
              singleP50Ms: figures['p50Ms'] ?? Number.NaN,
              singleP99Ms: figures['p99Ms'] ?? Number.NaN,
              singleFailures: figures['failures'] ?? Number.NaN,
              bigBatches: bigLatencies.length,
              bigP50Ms: percentile(bigLatencies, 50),
              bigFailures,
            };
          },
        },
      ],
      teardown: () => server.stop(),
    };
  },
};
