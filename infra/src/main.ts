// The CDKTF entrypoint (cdktf.json runs it): with paths.ts and selection.ts, the only code that reads the
// environment and services/*/service.json. INFRA_ENV picks config/<env>.json (account values from the
// environment or config/<env>.local.json); INFRA_SERVICE, INFRA_STACK or INFRA_SHARED=1 narrows the stacks
// built (all when unset); INFRA_DEPLOY=1, set by scripts/service-infra.ts deploy, turns a placeholder image
// digest into an error.
import { mkdirSync } from 'node:fs';
import { App } from 'cdktf';
import { buildStacks, requireAccountFor } from './app';
import { InfraConfigError } from './config/load-infra-config';
import { pathsFromEnv } from './paths';
import { planRun } from './selection';
import { ServiceConfigError } from '@onnx-serve/service-config';

try {
  const run = planRun(pathsFromEnv(process.env), process.env);
  if (run.skipped.length > 0) {
    console.error(`not in ${run.config.environment} (no environments.${run.config.environment} in their service.json): ${run.skipped.join(', ')}`);
  }
  requireAccountFor(run.config, run.stacks);
  // `cdktf synth --output cdktf.out/<env>` run by hand: the App creates only the last folder of it.
  const outdir = process.env['CDKTF_OUTDIR'];
  if (outdir) mkdirSync(outdir, { recursive: true });
  const app = new App();
  buildStacks(app, run.stacks, { deploying: process.env['INFRA_DEPLOY'] === '1' });
  app.synth();
} catch (error) {
  if (!(error instanceof InfraConfigError || error instanceof ServiceConfigError)) throw error;
  console.error(`infra: ${error.message}`);
  process.exit(1);
}
