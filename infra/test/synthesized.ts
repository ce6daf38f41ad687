// Test helpers: the committed configs, and synthesised stacks as plain JSON to assert on.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Testing, type TerraformStack } from 'cdktf';
import { buildStacks, type BuildOptions } from '../src/app';
import type { InfraConfig } from '../src/config/infra-config';
import { loadInfraConfig } from '../src/config/load-infra-config';
import type { PolicyStatement } from '../src/aws/iam-policy';
import { STACK_IDS, type StackId } from '../src/stacks/app-stack';

export const CONFIG_DIR = fileURLToPath(new URL('../config/', import.meta.url));

export const LAMBDA_DIGEST = `sha256:${'a'.repeat(64)}`;
export const SERVER_DIGEST = `sha256:${'b'.repeat(64)}`;

/** A committed environment config with real-looking digests, as CI would pass them after a push. */
export const loadConfig = (environment: string): InfraConfig =>
  loadInfraConfig({
    configDir: CONFIG_DIR,
    env: { INFRA_ENV: environment, LAMBDA_IMAGE_DIGEST: LAMBDA_DIGEST, SERVER_IMAGE_DIGEST: SERVER_DIGEST },
  });

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
  readonly stacks: Record<StackId, TerraformJson>;
  readonly manifest: { stacks: Record<string, { dependencies: string[]; annotations: { level: string; message: string }[] }> };
}

/** The whole app exactly as main.ts builds it, written to a temp dir like `cdktf synth` does. */
export function synthApp(config: InfraConfig, options: BuildOptions = {}): SynthesizedApp {
  const outdir = mkdtempSync(join(tmpdir(), 'infra-synth-'));
  const app = Testing.app({ outdir, stackTraces: false });
  buildStacks(app, config, options);
  app.synth();
  const read = (path: string): unknown => JSON.parse(readFileSync(join(outdir, path), 'utf8'));
  const stacks = Object.fromEntries(STACK_IDS.map((id) => [id, read(`stacks/${id}/cdk.tf.json`)])) as Record<StackId, TerraformJson>;
  return { stacks, manifest: read('manifest.json') as SynthesizedApp['manifest'] };
}

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
