// The node entrypoint: read config, then either serve in this one process (WEB_CONCURRENCY=1, serve.ts), or, as the
// primary, start and supervise that many workers (workers/primary.ts), each serving on the shared ports. Each
// imports only its own side: the primary forks at once instead of first loading the serving code it never runs,
// which every worker loads again.
import cluster from 'node:cluster';
import { readServerConfig } from './config';
import { startupFailureLine, startupFailureText } from './startup-failure';
import { memoryLimitMb, planWorkers } from './workers/worker-count';
import type { ClusterLink } from './workers/worker-link';

let link: ClusterLink | undefined;

async function main(): Promise<void> {
  if (cluster.isWorker) {
    const { connectToPrimary, workerConfig } = await import('./workers/worker-link');
    link = connectToPrimary();
    const { serve } = await import('./serve');
    return serve(workerConfig(readServerConfig(process.env), link.slot), link);
  }
  const config = readServerConfig(process.env);
  const plan = planWorkers(config.workers, memoryLimitMb());
  if (plan.workers > 1) {
    const { runPrimary } = await import('./workers/primary');
    return runPrimary(config, plan);
  }
  const { serve } = await import('./serve');
  await serve(config, undefined, plan.workers < plan.wanted ? plan : undefined);
}

main().catch((err: unknown) => {
  // Config and model-load failures end the process: a server that cannot serve must not look healthy. A worker
  // tells its primary, which says it once for all of them.
  if (link) return link.failStart(err);
  console.error(startupFailureLine(err));
  process.stderr.write(startupFailureText(err));
  process.exit(1);
});
