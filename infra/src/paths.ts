// Where the entrypoints find the committed config, the services and the output folder. INFRA_SERVICES_DIR
// and INFRA_OUTPUT_ROOT move the last two (the tests synthesise their own services into a temporary folder).
import { fileURLToPath } from 'node:url';

type Env = Readonly<Record<string, string | undefined>>;

export const INFRA_ROOT = fileURLToPath(new URL('../', import.meta.url));

export interface Paths {
  readonly configDir: string;
  readonly servicesDir: string;
  /** Each environment synthesises to <outputRoot>/<env>, so each keeps its own `terraform init`. */
  readonly outputRoot: string;
}

export const pathsFromEnv = (env: Env): Paths => ({
  configDir: fileURLToPath(new URL('../config/', import.meta.url)),
  servicesDir: env['INFRA_SERVICES_DIR'] || fileURLToPath(new URL('../../services/', import.meta.url)),
  outputRoot: env['INFRA_OUTPUT_ROOT'] || 'cdktf.out',
});
