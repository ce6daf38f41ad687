import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PLACEHOLDER_DIGEST } from '../src/config/infra-config';
import { InfraConfigError, loadInfraConfig } from '../src/config/load-infra-config';
import { CONFIG_DIR, LAMBDA_DIGEST } from './synthesized';

const devJson = JSON.parse(readFileSync(join(CONFIG_DIR, 'dev.json'), 'utf8')) as Record<string, Record<string, unknown>>;

const asCommitted = () => undefined;

/** Loads dev.json changed by `edit`, from memory. */
function loadEdited(edit: (config: typeof devJson) => void, env: Record<string, string> = {}) {
  const config = structuredClone(devJson);
  edit(config);
  return loadInfraConfig({ configDir: CONFIG_DIR, env: { INFRA_ENV: 'dev', ...env }, readText: () => JSON.stringify(config) });
}

describe('loadInfraConfig', () => {
  it('accepts the committed dev and prod configs, dev by default', () => {
    expect(loadInfraConfig({ configDir: CONFIG_DIR, env: {} }).environment).toBe('dev');
    expect(loadInfraConfig({ configDir: CONFIG_DIR, env: { INFRA_ENV: 'prod' } })).toMatchObject({
      environment: 'prod',
      state: { backend: 's3' },
    });
  });

  it('ships placeholder digests that synth accepts, overridden by LAMBDA_IMAGE_DIGEST and SERVER_IMAGE_DIGEST', () => {
    const plain = loadEdited(asCommitted);
    expect([plain.lambdaApi.imageDigest, plain.ec2Api.imageDigest]).toEqual([PLACEHOLDER_DIGEST, PLACEHOLDER_DIGEST]);
    const pushed = loadEdited(asCommitted, { LAMBDA_IMAGE_DIGEST: LAMBDA_DIGEST });
    expect([pushed.lambdaApi.imageDigest, pushed.ec2Api.imageDigest]).toEqual([LAMBDA_DIGEST, PLACEHOLDER_DIGEST]);
  });

  it('rejects a malformed digest from the environment, naming the variable', () => {
    expect(() => loadEdited(asCommitted, { SERVER_IMAGE_DIGEST: 'latest' })).toThrow(/SERVER_IMAGE_DIGEST[\s\S]*at ec2Api\.imageDigest/);
  });

  it('demands the image digest when neither file nor environment has one', () => {
    expect(() => loadEdited((c) => delete c['lambdaApi']!['imageDigest'])).toThrow(
      /required: the image digest[\s\S]*at lambdaApi\.imageDigest/,
    );
  });

  it('demands the VPC id for the EC2 target', () => {
    expect(() => loadEdited((c) => delete c['ec2Api']!['vpcId'])).toThrow(/required: the VPC id[\s\S]*at ec2Api\.vpcId/);
  });

  it('rejects capacity outside min <= desired <= max', () => {
    expect(() => loadEdited((c) => (c['ec2Api']!['capacity'] = { min: 3, desired: 2, max: 4 }))).toThrow(/min <= desired <= max/);
  });

  it('rejects a load balancer in a single subnet', () => {
    expect(() => loadEdited((c) => (c['ec2Api']!['loadBalancerSubnetIds'] = ['subnet-0000000000000000a']))).toThrow(
      /at least two availability zones/,
    );
  });

  it('rejects an ingress range that is not an IPv4 CIDR', () => {
    expect(() => loadEdited((c) => (c['ec2Api']!['ingressCidrs'] = ['everyone']))).toThrow(/ec2Api\.ingressCidrs\[0\]/);
  });

  it('rejects a file whose environment is not INFRA_ENV', () => {
    expect(() => loadEdited((c) => (c['environment'] = 'prod' as never))).toThrow(InfraConfigError);
    expect(() => loadEdited((c) => (c['environment'] = 'prod' as never))).toThrow(/says environment "prod" but INFRA_ENV is "dev"/);
  });

  it('rejects an INFRA_ENV that names no config file', () => {
    expect(() => loadInfraConfig({ configDir: CONFIG_DIR, env: { INFRA_ENV: '../secrets' } })).toThrow(/INFRA_ENV must name a config file/);
    expect(() => loadInfraConfig({ configDir: CONFIG_DIR, env: { INFRA_ENV: 'staging' } })).toThrow(/cannot read infra config .*staging\.json/);
  });
});
