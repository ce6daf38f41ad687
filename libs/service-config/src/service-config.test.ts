import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseServiceConfig, scopeTag, ServiceConfigError, serviceNameProblem } from './service-config';

const source = 'services/fraud/service.json';
const valid = {
  owners: ['@acme/fraud-team'],
  targets: ['lambda'],
  environments: {
    dev: {
      lambda: { memoryMb: 1024, reservedConcurrency: 2 },
      usagePlan: { throttle: { rateLimit: 5, burstLimit: 10 }, quota: { limit: 1000, period: 'DAY' } },
    },
  },
};

function issuesOf(json: unknown): { path: string; message: string }[] {
  try {
    parseServiceConfig(json, source);
  } catch (error) {
    if (error instanceof ServiceConfigError) return error.issues;
    throw error;
  }
  throw new Error('expected a ServiceConfigError');
}

describe('parseServiceConfig', () => {
  it('accepts a lambda-only service and returns it as written', () => {
    expect(parseServiceConfig(valid, source)).toEqual(valid);
  });

  it('accepts the examples service as committed', () => {
    const path = new URL('../../../services/examples/service.json', import.meta.url);
    const config = parseServiceConfig(JSON.parse(readFileSync(path, 'utf8')), 'services/examples/service.json');
    expect(config.targets).toEqual(['lambda', 'server']);
    expect(Object.keys(config.environments)).toEqual(['dev', 'prod']);
  });

  it('names the file and the bad field in its message', () => {
    expect(() => parseServiceConfig({ ...valid, owners: ['fraud-team'] }, source)).toThrow(
      'services/fraud/service.json: owners.0: a GitHub handle, @user or @org/team',
    );
  });

  it('lists every problem at once', () => {
    expect(issuesOf({ owners: [], targets: ['lambda', 'k8s'], environments: { dev: {} }, extra: 1 })).toEqual([
      { path: 'owners', message: 'at least one owner (a GitHub handle, for CODEOWNERS)' },
      { path: 'targets.1', message: 'Invalid option: expected one of "lambda"|"server"' },
      { path: '(root)', message: 'Unrecognized key: "extra"' },
    ]);
  });

  it('refuses a target listed twice', () => {
    expect(issuesOf({ ...valid, targets: ['lambda', 'lambda'] })).toEqual([{ path: 'targets', message: 'each target once' }]);
  });

  it('requires the settings of every target in every environment', () => {
    expect(issuesOf({ ...valid, targets: ['lambda', 'server'], environments: { dev: {} } })).toEqual([
      { path: 'environments.dev.lambda', message: 'required: the service has the lambda target' },
      { path: 'environments.dev.server', message: 'required: the service has the server target' },
      { path: 'environments.dev.usagePlan', message: 'required: the lambda target is served through API Gateway with a usage plan' },
    ]);
  });

  it('checks the fleet bounds and the Lambda limits', () => {
    const server = { instanceType: 't3.small', minInstances: 4, maxInstances: 2 };
    expect(issuesOf({ ...valid, targets: ['server'], environments: { dev: { server } } })).toEqual([
      { path: 'environments.dev.server.minInstances', message: 'minInstances must not exceed maxInstances' },
    ]);
    const lambda = { memoryMb: 64, reservedConcurrency: 0 };
    expect(issuesOf({ ...valid, environments: { dev: { ...valid.environments.dev, lambda } } }).map((i) => i.path)).toEqual([
      'environments.dev.lambda.memoryMb',
      'environments.dev.lambda.reservedConcurrency',
    ]);
  });
});

describe('serviceNameProblem', () => {
  it('accepts short dash-separated lowercase names', () => {
    for (const name of ['examples', 'fraud-scoring', 'team2']) expect(serviceNameProblem(name)).toBeUndefined();
  });

  it('says what is wrong with any other name', () => {
    expect(serviceNameProblem('Fraud')).toBe(
      'lowercase letters and digits in dash-separated words, starting with a letter (e.g. fraud-scoring)',
    );
    expect(serviceNameProblem('a'.repeat(17))).toBe('at most 16 characters (it becomes part of AWS resource names)');
    for (const name of ['2fast', 'a--b', 'trailing-', 'under_score', '']) expect(serviceNameProblem(name)).toBeTypeOf('string');
  });
});

describe('scopeTag', () => {
  it('is the handle without its @', () => {
    expect(scopeTag('@acme/fraud-team')).toBe('scope:acme/fraud-team');
    expect(scopeTag('@alice')).toBe('scope:alice');
  });
});
