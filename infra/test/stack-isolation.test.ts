// Each stack deploys on its own: no stack depends on another, reads another's state or references a
// resource it does not declare itself, and each keeps its own state.
import { describe, expect, it } from 'vitest';
import { PLACEHOLDER_DIGEST } from '../src/config/infra-config';
import { STACK_IDS } from '../src/stacks/app-stack';
import { loadConfig, synthApp, type TerraformJson } from './synthesized';

const dev = synthApp(loadConfig('dev'));
const prod = synthApp(loadConfig('prod'));

function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, child]) => (key === '//' ? [] : strings(child)));
  }
  return [];
}

function foreignReferences(json: TerraformJson): string[] {
  const declared = new Set([
    ...Object.entries(json.resource ?? {}).flatMap(([type, all]) => Object.keys(all).map((name) => `${type}.${name}`)),
    ...Object.entries(json.data ?? {}).flatMap(([type, all]) => Object.keys(all).map((name) => `data.${type}.${name}`)),
  ]);
  const found = strings({ resource: json.resource, data: json.data, output: json.output }).flatMap((text) =>
    [...text.matchAll(/\b(data\.)?(aws_[a-z0-9_]+|terraform_remote_state)\.([A-Za-z0-9_-]+)/g)].map((m) => m[0]),
  );
  return found.filter((address) => !declared.has(address));
}

describe('stack isolation', () => {
  it('builds the four stacks with no dependencies between them, so `cdktf deploy <stack>` deploys that stack alone', () => {
    expect(Object.keys(dev.manifest.stacks).sort()).toEqual([...STACK_IDS].sort());
    for (const stack of Object.values(dev.manifest.stacks)) expect(stack.dependencies).toEqual([]);
  });

  it.each(STACK_IDS)('%s reads no remote state and references only its own resources', (id) => {
    for (const { stacks } of [dev, prod]) {
      expect(stacks[id].data?.['terraform_remote_state']).toBeUndefined();
      expect(foreignReferences(stacks[id])).toEqual([]);
    }
  });

  it('gives every stack its own state, per environment', () => {
    const local = STACK_IDS.map((id) => dev.stacks[id].terraform?.backend?.['local']?.['path']);
    expect(local).toEqual(STACK_IDS.map((id) => `../../../terraform.dev.${id}.tfstate`));
    const keys = STACK_IDS.map((id) => prod.stacks[id].terraform?.backend?.['s3']?.['key']);
    expect(keys).toEqual(STACK_IDS.map((id) => `onnx-serve/prod/${id}.tfstate`));
  });

  it('refuses to deploy a stack whose image digest is still the placeholder, and only warns for the others', () => {
    const placeholder = { ...loadConfig('dev'), ec2Api: { ...loadConfig('dev').ec2Api, imageDigest: PLACEHOLDER_DIGEST } };
    expect(() => synthApp(placeholder, { deployingStack: 'ec2-api' })).toThrow(/ec2-api runs the placeholder image digest/);
    const { manifest } = synthApp(placeholder, { deployingStack: 'registry' });
    expect(manifest.stacks['ec2-api']!.annotations).toEqual([
      expect.objectContaining({ level: expect.stringMatching(/warn/i), message: expect.stringContaining('SERVER_IMAGE_DIGEST') }),
    ]);
  });
});
