// Which stacks one run builds, and where it writes them. main.ts builds what INFRA_SERVICE / INFRA_STACK /
// INFRA_SHARED=1 select (everything when none is set); scripts/service-infra.ts sets them and runs cdktf on the
// same ids.
import { join } from 'node:path';
import type { InfraConfig } from './config/infra-config';
import { InfraConfigError, loadInfraConfig } from './config/load-infra-config';
import { loadServices, type Service } from './config/load-services';
import { serviceStackId } from './aws/names';
import type { Paths } from './paths';
import { DIGEST_VARIABLES, planStacks, type PlannedStack, type ServiceDeployment } from './app';

type Env = Readonly<Record<string, string | undefined>>;

export type Selection =
  | { readonly kind: 'all' }
  /** registry, models, and api-gateway-account where the config manages it: the stacks of no service. */
  | { readonly kind: 'shared' }
  | { readonly kind: 'service'; readonly service: string }
  | { readonly kind: 'stack'; readonly stack: string };

/** Each environment synthesises to its own folder (relative to infra/), so each keeps its own `terraform init`. */
export const outputDir = (paths: Pick<Paths, 'outputRoot'>, environment: string): string => join(paths.outputRoot, environment);

export function selectionFromEnv(env: Env): Selection {
  const service = env['INFRA_SERVICE'];
  const stack = env['INFRA_STACK'];
  const shared = env['INFRA_SHARED'];
  if (shared && shared !== '1') throw new InfraConfigError(`INFRA_SHARED must be 1 (the shared stacks) or empty, got "${shared}"`);
  const set = [service && 'INFRA_SERVICE', stack && 'INFRA_STACK', shared && 'INFRA_SHARED'].filter(Boolean);
  if (set.length > 1) throw new InfraConfigError(`set one of INFRA_SERVICE, INFRA_STACK and INFRA_SHARED, not ${set.join(' and ')}`);
  if (service) return { kind: 'service', service };
  if (stack) return { kind: 'stack', stack };
  if (shared) return { kind: 'shared' };
  return { kind: 'all' };
}

/** The service a selection is about, if any: a `<service>-lambda-api` / `-ec2-api` stack belongs to its service. */
function selectedService(selection: Selection, services: readonly Service[]): string | undefined {
  if (selection.kind === 'service') return selection.service;
  if (selection.kind !== 'stack') return undefined;
  return services.find((s) => s.config.targets.some((target) => serviceStackId(s.name, target) === selection.stack))?.name;
}

const DIGEST = /^sha256:[0-9a-f]{64}$/;

function digestsFromEnv(env: Env, service: Service): ServiceDeployment['digests'] {
  return Object.fromEntries(
    service.config.targets.flatMap((target) => {
      const variable = DIGEST_VARIABLES[target];
      const value = env[variable];
      if (!value) return [];
      if (!DIGEST.test(value)) throw new InfraConfigError(`${variable} must be an image digest sha256:<64 lowercase hex>, got "${value}"`);
      return [[target, value]];
    }),
  );
}

export interface Deployments {
  readonly deployments: ServiceDeployment[];
  /** Services with no settings for this environment: not deployed there. */
  readonly skipped: string[];
}

/**
 * The services this environment deploys. The image digests from LAMBDA_IMAGE_DIGEST / SERVER_IMAGE_DIGEST
 * belong to the one selected service: a push prints them for its own images only.
 */
export function serviceDeployments(services: readonly Service[], environment: string, selection: Selection, env: Env): Deployments {
  const selected = selectedService(selection, services);
  if (selection.kind === 'service' && !services.some((s) => s.name === selection.service)) {
    throw new InfraConfigError(`unknown service "${selection.service}": services/ holds ${services.map((s) => s.name).join(', ') || 'no service'}`);
  }
  const deployments: ServiceDeployment[] = [];
  const skipped: string[] = [];
  for (const service of services) {
    const settings = service.config.environments[environment];
    if (!settings) {
      if (service.name === selected) {
        throw new InfraConfigError(
          `services/${service.name}/service.json has no environments.${environment}: ${service.name} is not deployed to ${environment} until it has settings there`,
        );
      }
      skipped.push(service.name);
      continue;
    }
    const digests = service.name === selected ? digestsFromEnv(env, service) : {};
    deployments.push({ name: service.name, targets: service.config.targets, settings, digests, modelBytes: service.modelBytes });
  }
  return { deployments, skipped };
}

/** The planned stacks a selection names; an unknown stack id is an error listing the known ones. */
export function selectStacks(plan: readonly PlannedStack[], selection: Selection): PlannedStack[] {
  if (selection.kind === 'all') return [...plan];
  if (selection.kind === 'shared') return plan.filter((stack) => !stack.service);
  if (selection.kind === 'service') return plan.filter((stack) => stack.service?.name === selection.service);
  const stack = plan.filter((s) => s.id === selection.stack);
  if (stack.length === 0) {
    throw new InfraConfigError(`unknown stack "${selection.stack}": this environment has ${plan.map((s) => s.id).join(', ')}`);
  }
  return stack;
}

export interface Run {
  readonly config: InfraConfig;
  readonly selection: Selection;
  /** The stacks this run builds, in plan order. */
  readonly stacks: PlannedStack[];
  readonly skipped: string[];
}

/** Everything one run needs from the environment: the config, the services, the stacks the selection names. */
export function planRun(paths: Paths, env: Env, selection = selectionFromEnv(env)): Run {
  const config = loadInfraConfig({ configDir: paths.configDir, env });
  const { deployments, skipped } = serviceDeployments(loadServices(paths.servicesDir), config.environment, selection, env);
  return { config, selection, stacks: selectStacks(planStacks(config, deployments), selection), skipped };
}
