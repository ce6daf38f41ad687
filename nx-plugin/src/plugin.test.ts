// createNodesV2 on a temporary workspace: the project a service.json makes, and the message of a bad one.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CreateNodesContextV2, TargetConfiguration } from '@nx/devkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createServiceNodes } from './plugin';

let root: string;
let context: CreateNodesContextV2;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'service-nodes-'));
  context = { nxJsonConfiguration: {}, workspaceRoot: root };
});
afterEach(() => rm(root, { recursive: true, force: true }));

const lambdaOnly = {
  owners: ['@acme/fraud-team', '@alice'],
  targets: ['lambda'],
  environments: {
    dev: {
      lambda: { memoryMb: 1024, reservedConcurrency: 2 },
      usagePlan: { throttle: { rateLimit: 5, burstLimit: 10 }, quota: { limit: 1000, period: 'DAY' } },
    },
  },
};

async function service(name: string, json: unknown): Promise<string> {
  await mkdir(join(root, 'services', name), { recursive: true });
  await writeFile(join(root, 'services', name, 'service.json'), typeof json === 'string' ? json : JSON.stringify(json));
  return `services/${name}/service.json`;
}

async function projectOf(name: string, json: unknown) {
  const [[file, result]] = (await createServiceNodes([await service(name, json)], undefined, context)) as [readonly [string, { projects: Record<string, { name: string; tags: string[]; implicitDependencies: string[]; targets: Record<string, TargetConfiguration> }> }]];
  expect(file).toBe(`services/${name}/service.json`);
  return result.projects[`services/${name}`]!;
}

/** The per-file errors of the AggregateCreateNodesError Nx reports, as [file, message]. */
async function failuresOf(files: string[]): Promise<[string, string][]> {
  try {
    await createServiceNodes(files, undefined, context);
  } catch (error) {
    return (error as { errors: [string, Error][] }).errors.map(([file, cause]) => [file, cause.message]);
  }
  throw new Error('expected createServiceNodes to fail');
}

describe('createServiceNodes', () => {
  it("makes a project named after the folder, tagged by owner, with its targets' stage, image and push only", async () => {
    const project = await projectOf('fraud', lambdaOnly);
    expect([project.name, project.tags, project.implicitDependencies]).toEqual([
      'fraud',
      ['type:service', 'scope:acme/fraud-team', 'scope:alice'],
      ['prediction-api', 'infra'],
    ]);
    expect(Object.keys(project.targets)).toEqual(['stage-lambda', 'image-lambda', 'push-lambda', 'build', 'verify', 'test', 'serve', 'synth', 'deploy']);
    expect(project.targets['stage-lambda']).toMatchObject({
      dependsOn: [{ projects: ['deploy'], target: 'bundle-lambda' }],
      outputs: ['{workspaceRoot}/dist/services/fraud/lambda'],
      options: { command: 'tsx deploy/build/stage-image.ts lambda fraud' },
    });
    expect(project.targets['push-lambda']!.options).toEqual({ command: 'tsx deploy/build/docker-image.ts lambda fraud --push' });
    expect(project.targets['verify']!.options).toEqual({ command: 'tsx tools/src/verify-model.ts services/fraud/models' });
    expect(project.targets['test']).toEqual({
      executor: 'nx:run-commands',
      cache: true,
      dependsOn: ['verify'],
      inputs: [
        '{projectRoot}/models/**/*',
        '{workspaceRoot}/tools/src/verify-model.ts',
        '{workspaceRoot}/tools/src/verify-over-http.ts',
        '{workspaceRoot}/tools/src/serve-store.ts',
        '^production',
        { env: 'MAX_INSTANCES' },
      ],
      options: { command: 'tsx tools/src/verify-model.ts --serve services/fraud/models' },
      metadata: { description: "Replay every model's golden.json over HTTP against the server started on the models" },
    });
    expect(project.targets['serve']!.options).toEqual({
      command: 'tsx --tsconfig tsconfig.base.json apps/prediction-api/src/main.ts',
      env: { MODEL_DIR: 'services/fraud/models' },
    });
    expect([project.targets['synth']!.options, project.targets['deploy']!.options]).toEqual([
      { command: 'tsx infra/scripts/service-infra.ts synth fraud', cwd: '{workspaceRoot}' },
      { command: 'tsx infra/scripts/service-infra.ts deploy fraud', cwd: '{workspaceRoot}' },
    ]);
    expect(project.targets['deploy']!.inputs).toContainEqual({ env: 'INFRA_ENV' });
    // One cdktf run at a time: each one empties infra/cdktf.out/<env> of the stacks it did not build.
    expect([project.targets['synth']!.parallelism, project.targets['deploy']!.parallelism]).toEqual([false, false]);
  });

  it('declares no negated workspace input, which would make every change affect the service', async () => {
    const project = await projectOf('fraud', { ...lambdaOnly, targets: ['lambda', 'server'], environments: {} });
    const inputs = Object.values(project.targets).flatMap((target) => target.inputs ?? []);
    expect(inputs.filter((input: unknown) => typeof input === 'string' && input.startsWith('!'))).toEqual([]);
  });

  it('fails naming the file and the field of an invalid service.json', async () => {
    const bad = await service('fraud', { ...lambdaOnly, owners: ['fraud-team'] });
    expect(await failuresOf([bad, await service('ok', lambdaOnly)])).toEqual([
      ['services/fraud/service.json', 'services/fraud/service.json: owners.0: a GitHub handle, @user or @org/team'],
    ]);
  });

  it('fails naming the file of a service.json that is not JSON, and a folder that is not a service name', async () => {
    const failures = await failuresOf([await service('fraud', '{ nope'), await service('Fraud_Team', lambdaOnly)]);
    const [notJson, badName] = failures.map(([, message]) => message);
    expect(notJson).toMatch(/^services\/fraud\/service.json: \(root\): not valid JSON: /);
    expect(badName).toBe(
      'services/Fraud_Team/service.json: (folder name): Fraud_Team is not a service name: ' +
        'lowercase letters and digits in dash-separated words, starting with a letter (e.g. fraud-scoring)',
    );
  });
});
