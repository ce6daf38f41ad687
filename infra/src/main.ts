// The CDKTF entrypoint (cdktf.json runs it): the only place that reads the environment. INFRA_ENV picks
// config/<env>.json; LAMBDA_IMAGE_DIGEST / SERVER_IMAGE_DIGEST override its digests; INFRA_DEPLOY_STACK is
// set by the Nx deploy target so a placeholder digest cannot reach AWS.
import { fileURLToPath } from 'node:url';
import { App } from 'cdktf';
import { buildStacks } from './app';
import { loadInfraConfig } from './config/load-infra-config';

const config = loadInfraConfig({ configDir: fileURLToPath(new URL('../config/', import.meta.url)), env: process.env });
const app = new App();
buildStacks(app, config, { deployingStack: process.env['INFRA_DEPLOY_STACK'] });
app.synth();
