// Dynamic batching on and off, on a heavier model (a synthetic MLP written by heavy-model.ts, not a fixture), at 64
// concurrent single-row clients, and on the diabetes forest (small: where batching is not expected to pay).
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { workspaceRoot } from '../harness';
import { writeHeavyModel } from '../heavy-model';
import { type BenchContext, type Case, diabetesBody, type Ratio, type ScenarioGroup, startFullServer, wrkCase } from './scenario';

/** maxRows 64, a 2 ms wait at most: a batch fills from 64 clients long before. */
const batching = { maxRows: 64, maxWaitMicros: 2_000 };

export const batchingScenarios: ScenarioGroup = {
  name: 'batching',
  description: 'dynamic batching on/off at 64 concurrent 1-row clients: MLP 3x512, and the diabetes forest',
  async setup(ctx: BenchContext) {
    const store = join(ctx.scratch, 'batching-models');
    mkdirSync(store, { recursive: true });
    writeHeavyModel(store, 'mlp', { width: 512, layers: 3 }, workspaceRoot);
    writeHeavyModel(store, 'mlp-batched', { width: 512, layers: 3, batching }, workspaceRoot);
    cpSync(join(workspaceRoot, 'test-fixtures/models/diabetes'), join(store, 'diabetes'), { recursive: true });
    const forestSpec = join(store, 'diabetes-batched/1');
    cpSync(join(workspaceRoot, 'test-fixtures/models/diabetes'), join(store, 'diabetes-batched'), { recursive: true });
    const spec = JSON.parse(readFileSync(join(forestSpec, 'spec.json'), 'utf8')) as object;
    writeFileSync(join(forestSpec, 'spec.json'), JSON.stringify({ ...spec, batching }));
    const server = await startFullServer(ctx, 'full-batching', { WEB_CONCURRENCY: '1', MODEL_DIR: store });
    const body = { text: diabetesBody(1), rows: 1 };
    const cases: Case[] = ['mlp', 'mlp-batched', 'diabetes', 'diabetes-batched'].map((model) =>
      wrkCase(ctx, `batching: ${model}, 64 clients`, server, `/v1/models/${model}/predict`, body, 64),
    );
    const ratio = (label: string, of: string, to: string): Ratio => ({ label, of: [`batching: ${of}, 64 clients`, 'rps'], to: [`batching: ${to}, 64 clients`, 'rps'] });
    return {
      cases,
      ratios: [ratio('MLP req/s, batching on / off', 'mlp-batched', 'mlp'), ratio('forest req/s, batching on / off', 'diabetes-batched', 'diabetes')],
      teardown: () => server.stop(),
    };
  },
};
