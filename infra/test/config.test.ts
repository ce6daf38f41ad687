import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { planStacks, requireAccountFor } from '../src/app';
import { InfraConfigError, loadInfraConfig } from '../src/config/load-infra-config';
import { CONFIG_DIR, committedOnly, deploymentOf, FRAUD, loadConfig, TEST_ACCOUNT, VISION } from './synthesized';

const committed = (environment: string) => readFileSync(join(CONFIG_DIR, `${environment}.json`), 'utf8');
const devJson = JSON.parse(committed('dev')) as Record<string, Record<string, unknown>>;
const LOCAL_FILE = join(CONFIG_DIR, 'dev.local.json');

/** Loads dev with `local` as config/dev.local.json and `env` as the environment, from memory. */
function loadWith(local: unknown, env: Record<string, string> = {}) {
  const readText = (path: string) => (path === LOCAL_FILE ? (typeof local === 'string' ? local : JSON.stringify(local)) : committedOnly(path));
  return loadInfraConfig({ configDir: CONFIG_DIR, env: { INFRA_ENV: 'dev', ...env }, readText });
}

/** Loads dev.json changed by `edit`, from memory, with the test account values. */
function loadEdited(edit: (config: typeof devJson) => void) {
  const config = structuredClone(devJson);
  edit(config);
  const readText = (path: string) => (path.endsWith('dev.json') ? JSON.stringify(config) : undefined);
  return loadInfraConfig({ configDir: CONFIG_DIR, env: { INFRA_ENV: 'dev', ...TEST_ACCOUNT }, readText });
}

const errorOf = (load: () => unknown): string => {
  try {
    load();
  } catch (error) {
    if (error instanceof InfraConfigError) return error.message;
    throw error;
  }
  throw new Error('expected an InfraConfigError');
};

describe('the committed environment configs', () => {
  it('load, dev by default, with the account values from the environment', () => {
    expect(loadInfraConfig({ configDir: CONFIG_DIR, env: {}, readText: committedOnly }).environment).toBe('dev');
    expect(loadConfig('prod')).toMatchObject({
      environment: 'prod',
      state: { backend: 's3', keyPrefix: 'onnx-serve' },
      account: { accountId: '123456789012', instanceSubnetIds: ['subnet-1111111111111111a', 'subnet-1111111111111111b'] },
    });
  });

  it('hold no account id, bucket, network id, certificate or image digest', () => {
    for (const environment of ['dev', 'prod']) {
      expect(committed(environment)).not.toMatch(/\d{12}|vpc-|subnet-|arn:|sha256:|bucket/i);
    }
  });

  it('refuse an account value written into the committed file, so it cannot be committed by mistake', () => {
    expect(errorOf(() => loadEdited((c) => (c['accountId'] = '123456789012' as never)))).toMatch(/Unrecognized key: "accountId"/);
  });
});

describe('account values', () => {
  const fromFile = {
    accountId: '111111111111',
    modelBucket: 'file-models',
    vpcId: 'vpc-11111111',
    loadBalancerSubnetIds: ['subnet-11111111', 'subnet-22222222'],
    instanceSubnetIds: ['subnet-33333333'],
  };

  it('come from config/<env>.local.json', () => {
    expect(loadWith(fromFile).account).toEqual(fromFile);
  });

  it('come from the environment over the local file, lists comma-separated', () => {
    const config = loadWith(fromFile, { INFRA_ACCOUNT_ID: '222222222222', INFRA_INSTANCE_SUBNET_IDS: 'subnet-44444444, subnet-55555555' });
    expect(config.account).toEqual({ ...fromFile, accountId: '222222222222', instanceSubnetIds: ['subnet-44444444', 'subnet-55555555'] });
  });

  it('name the variable a malformed value came from', () => {
    expect(errorOf(() => loadWith(undefined, { INFRA_ACCOUNT_ID: '1234' }))).toBe('invalid account values:\n  INFRA_ACCOUNT_ID: a 12-digit AWS account id');
    expect(errorOf(() => loadWith(undefined, { INFRA_LOAD_BALANCER_SUBNET_IDS: 'subnet-11111111' }))).toMatch(
      /INFRA_LOAD_BALANCER_SUBNET_IDS: an Application Load Balancer needs subnets in at least two availability zones/,
    );
  });

  it('name the local file and the field of a malformed value there, and refuse unknown keys', () => {
    expect(errorOf(() => loadWith({ ...fromFile, vpcId: 'my-vpc' }))).toBe(`invalid account values:\n  ${LOCAL_FILE} at vpcId: a VPC id like vpc-0123abcd`);
    expect(errorOf(() => loadWith({ accountID: '111111111111' }))).toMatch(/dev\.local\.json at \(root\): Unrecognized key: "accountID"/);
    expect(errorOf(() => loadWith('{ "accountId": '))).toBe(`${LOCAL_FILE} is not valid JSON`);
    expect(errorOf(() => loadWith(['111111111111']))).toMatch(/dev\.local\.json must hold a JSON object of account values/);
  });

  it('are demanded by the stacks that need them, every missing one named with its variable and the local file', () => {
    const config = loadWith({ accountId: '111111111111' });
    const plan = planStacks(config, [deploymentOf(FRAUD, 'dev'), deploymentOf(VISION, 'dev')]);
    const fraud = plan.filter((s) => s.service?.name === 'fraud');
    expect(errorOf(() => requireAccountFor(config, fraud))).toBe(
      'missing account values for the fraud-lambda-api stack:\n' +
        `  INFRA_MODEL_BUCKET (or "modelBucket" in ${LOCAL_FILE}): the model bucket name (globally unique, e.g. onnx-serve-dev-models-<account id>)`,
    );
    const vision = plan.filter((s) => s.service?.name === 'vision');
    expect(errorOf(() => requireAccountFor(config, vision)).split('\n').map((line) => line.trim().split(' ')[0])).toEqual([
      'missing',
      'INFRA_MODEL_BUCKET',
      'INFRA_VPC_ID',
      'INFRA_LOAD_BALANCER_SUBNET_IDS',
      'INFRA_INSTANCE_SUBNET_IDS',
    ]);
    // The registry needs the account id only: a new Lambda service deploys without any network values.
    expect(() => requireAccountFor(config, plan.filter((s) => s.id === 'registry'))).not.toThrow();
  });

  it('include the state bucket wherever the state lives in S3', () => {
    const prod = loadInfraConfig({ configDir: CONFIG_DIR, env: { INFRA_ENV: 'prod', INFRA_ACCOUNT_ID: '111111111111' }, readText: committedOnly });
    expect(errorOf(() => requireAccountFor(prod, planStacks(prod, []).filter((s) => s.id === 'registry')))).toMatch(
      /^missing account values for the registry stack:\n {2}INFRA_STATE_BUCKET \(or "stateBucket" in .*prod\.local\.json\)/,
    );
  });
});

describe('loadInfraConfig', () => {
  it('rejects an ingress range that is not an IPv4 CIDR, naming the field', () => {
    expect(errorOf(() => loadEdited((c) => (c['ec2Api']!['ingressCidrs'] = ['everyone'])))).toMatch(/ec2Api\.ingressCidrs\[0\]/);
  });

  it('rejects a name prefix that would push service resource names past their limits', () => {
    expect(errorOf(() => loadEdited((c) => (c['namePrefix'] = 'onnx-serve-staging-xy' as never)))).toMatch(/at most 20 characters[\s\S]*namePrefix/);
  });

  it('rejects a file whose environment is not INFRA_ENV', () => {
    expect(errorOf(() => loadEdited((c) => (c['environment'] = 'prod' as never)))).toMatch(/says environment "prod" but INFRA_ENV is "dev"/);
  });

  it('rejects an INFRA_ENV that names no config file', () => {
    expect(errorOf(() => loadInfraConfig({ configDir: CONFIG_DIR, env: { INFRA_ENV: '../secrets' } }))).toMatch(/INFRA_ENV must name a config file/);
    expect(errorOf(() => loadInfraConfig({ configDir: CONFIG_DIR, env: { INFRA_ENV: 'staging' } }))).toMatch(/cannot read infra config .*staging\.json/);
  });
});
