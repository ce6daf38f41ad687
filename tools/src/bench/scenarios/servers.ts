// The table: the full server with 1 and N workers, the minimal Hono + onnxruntime baseline in one process and
// as a node cluster of 2 workers, and Hono's hello-world as the floor, each loaded with 1-row and 100-row requests.
import type { Server } from '../harness';
import { startServer } from '../harness';
import { type BenchContext, type Case, diabetesBody, type Ratio, type ScenarioGroup, startFullServer, wrkCase } from './scenario';

const fixtureModel = 'test-fixtures/models/diabetes/1/model.onnx';

export const serverScenarios: ScenarioGroup = {
  name: 'servers',
  description: 'full server (1 and N workers), minimal baseline (1 process, cluster of 2), hello-world floor',
  async setup(ctx: BenchContext) {
    const minimal = (name: string, workers: number) =>
      startServer({
        name,
        args: [ctx.minimalBundle, fixtureModel, '0'],
        env: { CLUSTER_WORKERS: String(workers) },
        ready: { path: '/predict', body: diabetesBody(1) },
        logDir: ctx.logDir,
      });
    const servers: Server[] = [];
    const started = async (server: Promise<Server>) => {
      servers.push(await server);
      return servers.at(-1) as Server;
    };
    let full1: Server, fullN: Server, minimal1: Server, minimal2: Server, hello: Server;
    try {
      full1 = await started(startFullServer(ctx, 'full-1', { WEB_CONCURRENCY: '1' }));
      fullN = await started(startFullServer(ctx, `full-${ctx.workers}`, { WEB_CONCURRENCY: String(ctx.workers) }));
      minimal1 = await started(minimal('minimal-1', 1));
      minimal2 = await started(minimal('minimal-cluster-2', 2));
      hello = await started(startServer({ name: 'hello', args: [ctx.helloBundle, '0'], ready: { path: '/' }, logDir: ctx.logDir }));
    } catch (error) {
      await Promise.all(servers.map((s) => s.stop()));
      throw error;
    }
    const cases: Case[] = [];
    for (const rows of [1, 100]) {
      const body = { text: diabetesBody(rows), rows };
      const predict = '/v1/models/diabetes/predict';
      cases.push(
        wrkCase(ctx, `servers: full, 1 worker, ${rows} row(s)`, full1, predict, body),
        wrkCase(ctx, `servers: full, ${ctx.workers} workers, ${rows} row(s)`, fullN, predict, body),
        wrkCase(ctx, `servers: minimal, 1 process, ${rows} row(s)`, minimal1, '/predict', body),
        wrkCase(ctx, `servers: minimal, cluster of 2, ${rows} row(s)`, minimal2, '/predict', body),
      );
    }
    cases.push(wrkCase(ctx, 'servers: hello-world floor', hello, '/'));
    const ratio = (label: string, of: string, to: string, figure: string): Ratio => ({ label, of: [of, figure], to: [to, figure] });
    return {
      cases,
      ratios: [
        ratio('full N workers / full 1 worker, 1-row req/s (target ≥ 1.3)', `servers: full, ${ctx.workers} workers, 1 row(s)`, 'servers: full, 1 worker, 1 row(s)', 'rps'),
        ratio('full / minimal, CPU per 1-row request (target ≤ 1.3)', 'servers: full, 1 worker, 1 row(s)', 'servers: minimal, 1 process, 1 row(s)', 'cpuMsPerRequest'),
        ratio('full / minimal, 1-row req/s', 'servers: full, 1 worker, 1 row(s)', 'servers: minimal, 1 process, 1 row(s)', 'rps'),
        ratio('full / minimal, 100-row rows/s', 'servers: full, 1 worker, 100 row(s)', 'servers: minimal, 1 process, 100 row(s)', 'rowsPerSecond'),
      ],
      teardown: async () => {
        await Promise.all(servers.map((s) => s.stop()));
      },
    };
  },
};
