// Test helpers: the committed configs with test account values, test services (never services/), and
// synthesised stacks as plain JSON to assert on.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Testing, type TerraformStack } from 'cdktf';
import { parseServiceConfig } from '@onnx-serve/service-config';
import { buildStacks, planStacks, type BuildOptions, type ServiceDeployment } from '../src/app';
import type { InfraConfig } from '../src/config/infra-config';
import { loadInfraConfig } from '../src/config/load-infra-config';
import type { Service } from '../src/config/load-services';
import type { PolicyStatement } from '../src/aws/iam-policy';
import { serviceDeployments } from '../src/selection';

export const CONFIG_DIR = fileURLToPath(new URL('../config/', import.meta.url));

export const LAMBDA_DIGEST = `sha256:${'a'.repeat(64)}`;
export const SERVER_DIGEST = `sha256:${'b'.repeat(64)}`;

export const TEST_CERTIFICATE = 'arn:aws:acm:us-east-1:123456789012:certificate/00000000-0000-0000-0000-000000000000';

/** Account values as a deployer would export them; none of them is in the committed files. */
export const TEST_ACCOUNT = {
  INFRA_ACCOUNT_ID: '123456789012',
  INFRA_MODEL_BUCKET: 'onnx-serve-test-models-123456789012',
  INFRA_STATE_BUCKET: 'test-tfstate-123456789012',
  INFRA_VPC_ID: 'vpc-0123456789abcdef0',
  INFRA_LOAD_BALANCER_SUBNET_IDS: 'subnet-0000000000000000a,subnet-0000000000000000b',
  INFRA_INSTANCE_SUBNET_IDS: 'subnet-1111111111111111a, subnet-1111111111111111b',
  // Without a certificate the load balancers may not take keys from the whole internet: a deployer's own range.
  INFRA_INGRESS_CIDRS: '203.0.113.0/24',
};
/** HTTPS and the committed ingress (the whole internet), as prod is meant to run. */
export const WITH_HTTPS = { INFRA_CERTIFICATE_ARN: TEST_CERTIFICATE, INFRA_INGRESS_CIDRS: '' };

/** The committed files only: a developer's own config/<env>.local.json never reaches a test. */
export const committedOnly = (path: string): string | undefined => {
  if (path.endsWith('.local.json')) return undefined;
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
};

export const loadConfig = (environment: string, env: Record<string, string> = {}, changes: ConfigChanges = {}): InfraConfig =>
  loadInfraConfig({ configDir: CONFIG_DIR, env: { INFRA_ENV: environment, ...TEST_ACCOUNT, ...env }, readText: changedConfig(environment, changes) });

/** Settings to merge into sections of a committed config/<env>.json, as a deployer would edit it. */
export type ConfigChanges = Readonly<Record<string, Readonly<Record<string, unknown>>>>;

const changedConfig = (environment: string, changes: ConfigChanges) => (path: string): string | undefined => {
  const text = committedOnly(path);
  if (!text || !path.endsWith(`/${environment}.json`)) return text;
  const json = JSON.parse(text) as Record<string, Record<string, unknown>>;
  for (const [section, values] of Object.entries(changes)) json[section] = { ...json[section], ...values };
  return JSON.stringify(json);
};

const owners = ['@acme/risk'];
const usagePlan = (rateLimit: number, limit: number) => ({ throttle: { rateLimit, burstLimit: rateLimit * 2 }, quota: { limit, period: 'DAY' as const } });

const testService = (name: string, json: unknown, modelBytes = 0): Service => ({
  name,
  config: parseServiceConfig(json, `test service ${name}`),
  modelBytes,
});
const MIB = 1024 * 1024;

/** Lambda only, with settings unlike every committed default. */
export const FRAUD = testService('fraud', {
  owners,
  targets: ['lambda'],
  environments: {
    dev: { lambda: { memoryMb: 1536, reservedConcurrency: 3 }, usagePlan: usagePlan(7, 1234) },
    prod: { lambda: { memoryMb: 4096, reservedConcurrency: 40 }, usagePlan: usagePlan(70, 99_000) },
  },
}, 1500 * MIB);

/** Server only, dev only. */
export const VISION = testService('vision', {
  owners,
  targets: ['server'],
  environments: { dev: { server: { instanceType: 'm6i.large', minInstances: 2, maxInstances: 5 } } },
});

/** Both targets and the longest name a service may have (16 characters). */
export const LONGEST = testService('fraud-scoring-v2', {
  owners,
  targets: ['lambda', 'server'],
  environments: {
    dev: {
      lambda: { memoryMb: 1024, reservedConcurrency: 1 },
      server: { instanceType: 't3.micro', minInstances: 0, maxInstances: 1 },
      usagePlan: usagePlan(1, 100),
    },
    prod: {
      lambda: { memoryMb: 1024, reservedConcurrency: 1 },
      server: { instanceType: 't3.micro', minInstances: 1, maxInstances: 2 },
      usagePlan: usagePlan(1, 100),
    },
  },
});

export const TEST_SERVICES = [FRAUD, VISION, LONGEST];

/** A service as `environment` deploys it, with pushed digests for its targets. */
export function deploymentOf(
  service: Service,
  environment: string,
  digests: Record<string, string> = { LAMBDA_IMAGE_DIGEST: LAMBDA_DIGEST, SERVER_IMAGE_DIGEST: SERVER_DIGEST },
): ServiceDeployment {
  const { deployments } = serviceDeployments([service], environment, { kind: 'service', service: service.name }, digests);
  return deployments[0]!;
}


export type Resource = Record<string, unknown>;
export interface TerraformJson {
  resource?: Record<string, Record<string, Resource>>;
  data?: Record<string, Record<string, Resource>>;
  output?: Record<string, { value: unknown }>;
  terraform?: { backend?: Record<string, Record<string, unknown>> };
  provider?: Record<string, Resource[]>;
}

/** One stack built on a fresh testing app, synthesised once. */
export const synthStack = (build: (app: ReturnType<typeof Testing.app>) => TerraformStack): TerraformJson =>
  JSON.parse(Testing.synth(build(Testing.app()))) as TerraformJson;

export interface SynthesizedApp {
  readonly stacks: Record<string, TerraformJson>;
  readonly manifest: { stacks: Record<string, { dependencies: string[]; annotations: { level: string; message: string }[] }> };
}

/** Every stack of an environment exactly as main.ts builds them, written to a temp dir like `cdktf synth` does. */
export function synthApp(config: InfraConfig, services: readonly ServiceDeployment[], options: BuildOptions = {}): SynthesizedApp {
  const outdir = mkdtempSync(join(tmpdir(), 'infra-synth-'));
  const app = Testing.app({ outdir, stackTraces: false });
  const planned = planStacks(config, services);
  buildStacks(app, planned, options);
  app.synth();
  const read = (path: string): unknown => JSON.parse(readFileSync(join(outdir, path), 'utf8'));
  const stacks = Object.fromEntries(planned.map(({ id }) => [id, read(`stacks/${id}/cdk.tf.json`)])) as Record<string, TerraformJson>;
  return { stacks, manifest: read('manifest.json') as SynthesizedApp['manifest'] };
}

/** The test services an environment deploys (VISION is dev only), with pushed digests. */
export const testDeployments = (environment: string): ServiceDeployment[] =>
  TEST_SERVICES.filter((s) => s.config.environments[environment]).map((s) => deploymentOf(s, environment));

/** Every resource of a type, without cdktf's metadata key. */
export function resources(json: TerraformJson, type: string): Resource[] {
  return Object.values(json.resource?.[type] ?? {}).map(({ '//': _metadata, ...rest }) => rest);
}

export function theResource(json: TerraformJson, type: string): Resource {
  const all = resources(json, type);
  if (all.length !== 1) throw new Error(`expected exactly one ${type}, found ${all.length}`);
  return all[0]!;
}

/** The statements of a policy document held as a JSON string property. */
export function statements(resource: Resource, property = 'policy'): PolicyStatement[] {
  const document = JSON.parse(String(resource[property])) as { Statement: PolicyStatement[] };
  return document.Statement;
}

export const asList = <T>(value: T | readonly T[] | undefined): T[] =>
  value === undefined ? [] : Array.isArray(value) ? [...(value as T[])] : [value as T];
