import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { placeholderProblems, planStacks, requireAccountFor } from '../src/app';
import { loadServices } from '../src/config/load-services';
import { outputDir, selectionFromEnv, selectStacks, serviceDeployments } from '../src/selection';
import { FRAUD, LAMBDA_DIGEST, LONGEST, loadConfig, SERVER_DIGEST, TEST_SERVICES, VISION } from './synthesized';

const errorOf = (run: () => unknown): string => {
  try {
    run();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected an error');
};

describe('serviceDeployments', () => {
  const digests = { LAMBDA_IMAGE_DIGEST: LAMBDA_DIGEST, SERVER_IMAGE_DIGEST: SERVER_DIGEST };

  it('gives the pushed digests to the selected service only', () => {
    const { deployments } = serviceDeployments(TEST_SERVICES, 'dev', { kind: 'service', service: 'fraud-scoring-v2' }, digests);
    expect(deployments.map((d) => [d.name, d.digests])).toEqual([
      ['fraud', {}],
      ['vision', {}],
      ['fraud-scoring-v2', { lambda: LAMBDA_DIGEST, server: SERVER_DIGEST }],
    ]);
    // A service with one target takes only its own target's digest.
    expect(serviceDeployments([FRAUD], 'dev', { kind: 'stack', stack: 'fraud-lambda-api' }, digests).deployments[0]!.digests).toEqual({ lambda: LAMBDA_DIGEST });
    expect(serviceDeployments(TEST_SERVICES, 'dev', { kind: 'all' }, digests).deployments.every((d) => Object.keys(d.digests).length === 0)).toBe(true);
  });

  it('rejects a malformed digest, naming its variable', () => {
    expect(errorOf(() => serviceDeployments([FRAUD], 'dev', { kind: 'service', service: 'fraud' }, { LAMBDA_IMAGE_DIGEST: 'latest' }))).toBe(
      'LAMBDA_IMAGE_DIGEST must be an image digest sha256:<64 lowercase hex>, got "latest"',
    );
  });

  it('refuses an unknown service, listing the known ones', () => {
    expect(errorOf(() => serviceDeployments(TEST_SERVICES, 'dev', { kind: 'service', service: 'frauds' }, {}))).toBe(
      'unknown service "frauds": services/ holds fraud, vision, fraud-scoring-v2',
    );
  });

  it('skips a service with no settings for the environment, and refuses to select it there', () => {
    expect(serviceDeployments(TEST_SERVICES, 'prod', { kind: 'all' }, {}).skipped).toEqual(['vision']);
    expect(errorOf(() => serviceDeployments(TEST_SERVICES, 'prod', { kind: 'service', service: 'vision' }, {}))).toBe(
      'services/vision/service.json has no environments.prod: vision is not deployed to prod until it has settings there',
    );
  });
});

describe('selectStacks', () => {
  const config = loadConfig('dev');
  const plan = planStacks(config, serviceDeployments(TEST_SERVICES, 'dev', { kind: 'all' }, {}).deployments);

  it('selects exactly a service’s stacks, one stack, or all', () => {
    expect(selectStacks(plan, { kind: 'service', service: 'fraud-scoring-v2' }).map((s) => s.id)).toEqual([
      'fraud-scoring-v2-lambda-api',
      'fraud-scoring-v2-ec2-api',
    ]);
    expect(selectStacks(plan, { kind: 'service', service: 'fraud' }).map((s) => s.id)).toEqual(['fraud-lambda-api']);
    expect(selectStacks(plan, { kind: 'stack', stack: 'models' }).map((s) => s.id)).toEqual(['models']);
    expect(selectStacks(plan, { kind: 'all' })).toHaveLength(7);
  });

  it('selects the shared stacks: api-gateway-account only where the config manages the account role', () => {
    expect(selectStacks(plan, { kind: 'shared' }).map((s) => s.id)).toEqual(['registry', 'models', 'api-gateway-account']);
    const unmanaged = { ...config, lambdaApi: { ...config.lambdaApi, manageAccountLogRole: false } };
    const deployments = serviceDeployments(TEST_SERVICES, 'dev', { kind: 'shared' }, {}).deployments;
    expect(selectStacks(planStacks(unmanaged, deployments), { kind: 'shared' }).map((s) => s.id)).toEqual(['registry', 'models']);
  });

  it('names every account value the shared stacks need, for all of them at once', () => {
    const prod = loadConfig('prod', { INFRA_ACCOUNT_ID: '', INFRA_MODEL_BUCKET: '', INFRA_STATE_BUCKET: '' });
    const shared = selectStacks(planStacks(prod, serviceDeployments(TEST_SERVICES, 'prod', { kind: 'shared' }, {}).deployments), { kind: 'shared' });
    expect(errorOf(() => requireAccountFor(prod, shared))).toBe(
      [
        'missing account values for the stacks registry, models, api-gateway-account:',
        `  INFRA_ACCOUNT_ID (or "accountId" in ${prod.localFile}): the 12-digit AWS account id`,
        `  INFRA_STATE_BUCKET (or "stateBucket" in ${prod.localFile}): the bucket holding Terraform state (the s3 state backend)`,
        `  INFRA_MODEL_BUCKET (or "modelBucket" in ${prod.localFile}): the model bucket name (globally unique, e.g. onnx-serve-dev-models-<account id>)`,
      ].join('\n'),
    );
  });

  it('refuses an unknown stack, listing the known ones', () => {
    expect(errorOf(() => selectStacks(plan, { kind: 'stack', stack: 'lambda-api' }))).toBe(
      'unknown stack "lambda-api": this environment has registry, models, api-gateway-account, fraud-lambda-api, vision-ec2-api, fraud-scoring-v2-lambda-api, fraud-scoring-v2-ec2-api',
    );
  });

  it('reads the selection from INFRA_SERVICE or INFRA_STACK, never both', () => {
    expect(selectionFromEnv({})).toEqual({ kind: 'all' });
    expect(selectionFromEnv({ INFRA_SERVICE: 'fraud' })).toEqual({ kind: 'service', service: 'fraud' });
    expect(selectionFromEnv({ INFRA_STACK: 'registry' })).toEqual({ kind: 'stack', stack: 'registry' });
    expect(selectionFromEnv({ INFRA_SHARED: '1', INFRA_SERVICE: '', INFRA_STACK: '' })).toEqual({ kind: 'shared' });
    expect(errorOf(() => selectionFromEnv({ INFRA_SERVICE: 'fraud', INFRA_STACK: 'registry' }))).toBe(
      'set one of INFRA_SERVICE, INFRA_STACK and INFRA_SHARED, not INFRA_SERVICE and INFRA_STACK',
    );
    expect(errorOf(() => selectionFromEnv({ INFRA_SHARED: '1', INFRA_STACK: 'registry' }))).toBe(
      'set one of INFRA_SERVICE, INFRA_STACK and INFRA_SHARED, not INFRA_STACK and INFRA_SHARED',
    );
    expect(errorOf(() => selectionFromEnv({ INFRA_SHARED: 'true' }))).toBe('INFRA_SHARED must be 1 (the shared stacks) or empty, got "true"');
  });

  it('names every API stack that would deploy a placeholder image', () => {
    const selected = selectStacks(plan, { kind: 'service', service: LONGEST.name });
    expect(placeholderProblems(selected)).toEqual([
      'fraud-scoring-v2-lambda-api would run the placeholder image digest: push the fraud-scoring-v2 lambda image and set LAMBDA_IMAGE_DIGEST',
      'fraud-scoring-v2-ec2-api would run the placeholder image digest: push the fraud-scoring-v2 server image and set SERVER_IMAGE_DIGEST',
    ]);
    expect(placeholderProblems(selectStacks(plan, { kind: 'stack', stack: 'registry' }))).toEqual([]);
  });
});

describe('outputDir', () => {
  it('is one folder per environment, so each keeps its own terraform init and backend', () => {
    expect(outputDir({ outputRoot: 'cdktf.out' }, 'dev')).toBe('cdktf.out/dev');
    expect(outputDir({ outputRoot: 'cdktf.out' }, 'prod')).toBe('cdktf.out/prod');
  });
});

describe('loadServices', () => {
  const servicesDir = () => mkdtempSync(join(tmpdir(), 'infra-services-'));
  const write = (dir: string, name: string, json: unknown) => {
    mkdirSync(join(dir, name), { recursive: true });
    writeFileSync(join(dir, name, 'service.json'), typeof json === 'string' ? json : JSON.stringify(json));
  };

  it('reads every services/<name>/service.json through the service-config validator, by name', () => {
    const dir = servicesDir();
    write(dir, 'vision', VISION.config);
    write(dir, 'fraud', FRAUD.config);
    mkdirSync(join(dir, 'not-a-service'));
    // The model store's size, without its notes: what a Lambda mirrors into /tmp.
    mkdirSync(join(dir, 'fraud/models/iris/1'), { recursive: true });
    writeFileSync(join(dir, 'fraud/models/iris/1/model.onnx'), Buffer.alloc(3000));
    writeFileSync(join(dir, 'fraud/models/iris/1/spec.json'), '{}');
    writeFileSync(join(dir, 'fraud/models/README.md'), 'notes that are not synced');
    expect(loadServices(dir)).toEqual([
      { name: 'fraud', config: FRAUD.config, modelBytes: 3002 },
      { name: 'vision', config: VISION.config, modelBytes: 0 },
    ]);
  });

  it('names the file and the field of an invalid service.json, and a folder that is no service name', () => {
    const invalid = servicesDir();
    write(invalid, 'fraud', { ...FRAUD.config, targets: ['k8s'] });
    expect(errorOf(() => loadServices(invalid))).toMatch(/^services\/fraud\/service\.json: targets\.0: Invalid option/);
    const broken = servicesDir();
    write(broken, 'fraud', '{');
    expect(errorOf(() => loadServices(broken))).toBe('services/fraud/service.json is not valid JSON');
    const badName = servicesDir();
    write(badName, 'Fraud_Team', FRAUD.config);
    expect(errorOf(() => loadServices(badName))).toMatch(/^services\/Fraud_Team: the folder name is not a valid service name: lowercase letters/);
  });
});
