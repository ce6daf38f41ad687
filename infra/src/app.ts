// Turns one validated environment config and the services deployed there into typed stack props. This is
// where values cross stack lines: as plain strings from config and service.json (repository names, digests,
// bucket and prefix), never as token references.
import { Annotations, type TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import type { ServiceEnvironment, ServiceTarget } from '@onnx-serve/service-config';
import type { ImageRef, ModelLocation } from './aws/arns';
import { repositoryName, serviceStackId } from './aws/names';
import { PLACEHOLDER_DIGEST, type AccountKey, type InfraConfig } from './config/infra-config';
import { InfraConfigError, requireAccount } from './config/load-infra-config';
import { ApiGatewayAccountStack } from './stacks/api-gateway-account-stack';
import type { StackEnvironment } from './stacks/app-stack';
import { Ec2ApiStack, type Ec2ApiStackProps } from './stacks/ec2-api-stack';
import { LambdaApiStack, type LambdaApiStackProps } from './stacks/lambda-api-stack';
import { ModelsStack, type ModelsStackProps } from './stacks/models-stack';
import { RegistryStack, type RegistryStackProps } from './stacks/registry-stack';

/** A service as one environment deploys it: its targets, that environment's settings, its pushed images. */
export interface ServiceDeployment {
  readonly name: string;
  readonly targets: readonly ServiceTarget[];
  readonly settings: ServiceEnvironment;
  /** The image digest of each target; a target without one runs PLACEHOLDER_DIGEST (synth warns, deploy refuses). */
  readonly digests: Readonly<Partial<Record<ServiceTarget, string>>>;
  /** The size of its model store: its Lambda mirrors the store into /tmp. */
  readonly modelBytes: number;
}

const MIB = 1024 * 1024;
/** Lambda's /tmp: 512 MB to 10240 MB. */
export const EPHEMERAL_STORAGE_MB = { min: 512, max: 10_240 } as const;
/** Room in /tmp beside the models, for the runtime's own temporary files. */
const TMP_HEADROOM_MB = 256;

/** /tmp sized for the service's model store plus headroom, or an error when no Lambda can hold it. */
export function ephemeralStorageMb(service: Pick<ServiceDeployment, 'name' | 'modelBytes'>): number {
  const needed = Math.ceil(service.modelBytes / MIB) + TMP_HEADROOM_MB;
  if (needed > EPHEMERAL_STORAGE_MB.max) {
    throw new InfraConfigError(
      `services/${service.name}/models holds ${Math.ceil(service.modelBytes / MIB)} MB: with ${TMP_HEADROOM_MB} MB of headroom it cannot fit ` +
        `Lambda's /tmp (at most ${EPHEMERAL_STORAGE_MB.max} MB); serve it with the server target or make the store smaller`,
    );
  }
  return Math.max(EPHEMERAL_STORAGE_MB.min, needed);
}

/** The variable a target's pushed digest arrives in (printed by its push). */
export const DIGEST_VARIABLES: Record<ServiceTarget, string> = { lambda: 'LAMBDA_IMAGE_DIGEST', server: 'SERVER_IMAGE_DIGEST' };

/** What every stack needs: the account id, and the state bucket with the s3 backend. */
const baseNeeds = (config: InfraConfig): AccountKey[] => ['accountId', ...(config.state.backend === 's3' ? (['stateBucket'] as const) : [])];

/** Every account value `stacks` need, or one error naming each missing variable. */
export function requireAccountFor(config: InfraConfig, stacks: readonly PlannedStack[]): void {
  const keys = [...new Set([...baseNeeds(config), ...stacks.flatMap((stack) => stack.needs)])];
  const ids = stacks.map((stack) => stack.id);
  requireAccount(config, keys, ids.length === 1 ? `the ${ids.join('')} stack` : `the stacks ${ids.join(', ')}`);
}

function stackEnvironment(config: InfraConfig, what: string): StackEnvironment {
  const account = requireAccount(config, ['accountId'], what);
  const state: StackEnvironment['state'] =
    config.state.backend === 's3'
      ? { ...config.state, bucket: requireAccount(config, ['stateBucket'], what).stateBucket }
      : { backend: 'local', directory: config.localStateDir };
  return {
    environment: config.environment,
    accountId: account.accountId,
    region: config.region,
    namePrefix: config.namePrefix,
    tags: config.tags,
    state,
  };
}

/** Each service reads and lists only `<models.prefix><service>/` of the shared bucket. */
export const serviceModelLocation = (config: InfraConfig, service: string): ModelLocation => ({
  bucketName: requireAccount(config, ['modelBucket'], `the ${service} service`).modelBucket,
  prefix: `${config.models.prefix}${service}/`,
});

export const registryProps = (config: InfraConfig, services: readonly ServiceDeployment[]): RegistryStackProps => ({
  env: stackEnvironment(config, 'the registry stack'),
  repositories: services.flatMap((service) =>
    service.targets.map((target) => ({ service: service.name, target, name: repositoryName(config.namePrefix, service.name, target) })),
  ),
  ...config.registry,
});

export const modelsProps = (config: InfraConfig): ModelsStackProps => {
  return {
    env: stackEnvironment(config, 'the models stack'),
    location: { bucketName: requireAccount(config, ['modelBucket'], 'the models stack').modelBucket, prefix: config.models.prefix },
    forceDestroy: config.models.forceDestroy,
    noncurrentVersionDays: config.models.noncurrentVersionDays,
  };
};

function image(env: StackEnvironment, config: InfraConfig, service: ServiceDeployment, target: ServiceTarget): ImageRef {
  return {
    accountId: env.accountId,
    region: env.region,
    repository: repositoryName(config.namePrefix, service.name, target),
    digest: service.digests[target] ?? PLACEHOLDER_DIGEST,
  };
}

/** Settings the service's validated service.json guarantees for its targets. */
function settingsOf<Key extends keyof ServiceEnvironment>(service: ServiceDeployment, key: Key): NonNullable<ServiceEnvironment[Key]> {
  const value = service.settings[key];
  if (value === undefined) throw new Error(`${service.name}: no ${key} settings (service.json validation should have said so)`);
  return value;
}

const alarmsOf = (config: InfraConfig) => ({ ...config.alarms, email: config.account.alarmEmail ?? null });

export function lambdaApiProps(config: InfraConfig, service: ServiceDeployment): LambdaApiStackProps {
  const env = stackEnvironment(config, `the ${serviceStackId(service.name, 'lambda')} stack`);
  const lambda = settingsOf(service, 'lambda');
  const usagePlan = settingsOf(service, 'usagePlan');
  const { manageAccountLogRole: _shared, ...lambdaApi } = config.lambdaApi;
  return {
    ...lambdaApi,
    env,
    service: service.name,
    image: image(env, config, service, 'lambda'),
    models: serviceModelLocation(config, service.name),
    memoryMb: lambda.memoryMb,
    ephemeralStorageMb: ephemeralStorageMb(service),
    reservedConcurrency: lambda.reservedConcurrency,
    throttle: usagePlan.throttle,
    quota: usagePlan.quota,
    alarms: alarmsOf(config),
    waf: config.waf ?? null,
  };
}

const NETWORK = ['vpcId', 'loadBalancerSubnetIds', 'instanceSubnetIds'] as const;

export function ec2ApiProps(config: InfraConfig, service: ServiceDeployment): Ec2ApiStackProps {
  const what = `the ${serviceStackId(service.name, 'server')} stack`;
  const env = stackEnvironment(config, what);
  const account = requireAccount(config, NETWORK, what);
  const server = settingsOf(service, 'server');
  const { apiKeysParameterPrefix, grpc, ...ec2Api } = config.ec2Api;
  const certificateArn = config.account.certificateArn ?? null;
  if (grpc && !certificateArn) {
    throw new InfraConfigError(`${what}: ec2Api.grpc needs INFRA_CERTIFICATE_ARN (or "certificateArn" in ${config.localFile}): a load balancer routes gRPC over HTTPS only`);
  }
  const ingressCidrs = config.account.ingressCidrs ?? ec2Api.ingressCidrs;
  const world = ingressCidrs.filter((cidr) => cidr.endsWith('/0'));
  if (!certificateArn && world.length > 0) {
    throw new InfraConfigError(
      `${what} would take API keys over plain HTTP from ${world.join(', ')}: set INFRA_CERTIFICATE_ARN (HTTPS), ` +
        `or INFRA_INGRESS_CIDRS (or "ingressCidrs" in ${config.localFile}) to the ranges that may call it`,
    );
  }
  return {
    ...ec2Api,
    ingressCidrs,
    env,
    service: service.name,
    image: image(env, config, service, 'server'),
    models: serviceModelLocation(config, service.name),
    vpcId: account.vpcId,
    loadBalancerSubnetIds: account.loadBalancerSubnetIds,
    instanceSubnetIds: account.instanceSubnetIds,
    certificateArn,
    grpc: grpc ?? null,
    forceDestroyLogs: config.models.forceDestroy,
    alarms: alarmsOf(config),
    waf: config.waf ?? null,
    apiKeysParameter: `${apiKeysParameterPrefix}/${service.name}/api-keys`,
    instanceType: server.instanceType,
    capacity: { min: server.minInstances, max: server.maxInstances },
  };
}

/** One stack the app can build: shared, or one service's target. */
export interface PlannedStack {
  readonly id: string;
  /** The account values its props need (checked for a whole selection at once by requireAccountFor). */
  readonly needs: readonly AccountKey[];
  readonly service?: ServiceDeployment;
  readonly target?: ServiceTarget;
  readonly build: (app: Construct) => TerraformStack;
}

/** Every stack of the environment: the shared ones, then each service's targets. */
export function planStacks(config: InfraConfig, services: readonly ServiceDeployment[]): PlannedStack[] {
  const shared: PlannedStack[] = [
    { id: 'registry', needs: [], build: (app) => new RegistryStack(app, registryProps(config, services)) },
    { id: 'models', needs: ['modelBucket'], build: (app) => new ModelsStack(app, modelsProps(config)) },
  ];
  if (config.lambdaApi.manageAccountLogRole) {
    shared.push({
      id: 'api-gateway-account',
      needs: [],
      build: (app) => new ApiGatewayAccountStack(app, { env: stackEnvironment(config, 'the api-gateway-account stack') }),
    });
  }
  const perService = services.flatMap((service) =>
    service.targets.map(
      (target): PlannedStack => ({
        id: serviceStackId(service.name, target),
        needs: target === 'lambda' ? ['modelBucket'] : ['modelBucket', ...NETWORK],
        service,
        target,
        build: (app) =>
          target === 'lambda' ? new LambdaApiStack(app, lambdaApiProps(config, service)) : new Ec2ApiStack(app, ec2ApiProps(config, service)),
      }),
    ),
  );
  return [...shared, ...perService];
}

/** Why each API stack among `stacks` cannot be deployed yet: it would run the placeholder image. */
export const placeholderProblems = (stacks: readonly PlannedStack[]): string[] =>
  stacks.flatMap(({ id, service, target }) =>
    service && target && (service.digests[target] ?? PLACEHOLDER_DIGEST) === PLACEHOLDER_DIGEST
      ? [`${id} would run the placeholder image digest: push the ${service.name} ${target} image and set ${DIGEST_VARIABLES[target]}`]
      : [],
  );

export interface BuildOptions {
  /** Deploying: a placeholder image digest is an error in the stacks built, not a warning. */
  readonly deploying?: boolean;
}

/** Builds `stacks` (all of planStacks, or a selection of them) into `app`, by id. */
export function buildStacks(app: Construct, stacks: readonly PlannedStack[], options: BuildOptions = {}): Record<string, TerraformStack> {
  const built: Record<string, TerraformStack> = {};
  for (const planned of stacks) {
    const stack = planned.build(app);
    for (const message of placeholderProblems([planned])) {
      if (options.deploying) Annotations.of(stack).addError(message);
      else Annotations.of(stack).addWarning(message);
    }
    built[planned.id] = stack;
  }
  return built;
}
