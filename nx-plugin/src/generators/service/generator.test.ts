import { type Tree } from '@nx/devkit';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import { parseServiceConfig } from '@onnx-serve/service-config';
import { beforeEach, describe, expect, it } from 'vitest';
import { serviceGenerator } from './generator';

let tree: Tree;
let initial: string[];
beforeEach(() => {
  tree = createTreeWithEmptyWorkspace();
  initial = tree.listChanges().map((change) => change.path);
});

/** What the test wrote into the tree after the empty workspace's own files. */
const changedPaths = () => tree.listChanges().map((change) => change.path).filter((path) => !initial.includes(path)).sort();

describe('service generator', () => {
  it('writes a valid service.json with dev and prod settings for both targets, and its CODEOWNERS line', async () => {
    await serviceGenerator(tree, { name: 'fraud', owner: '@acme/fraud-team', target: 'both' });
    const json = JSON.parse(tree.read('services/fraud/service.json', 'utf8')!);
    expect(parseServiceConfig(json, 'services/fraud/service.json')).toEqual({
      owners: ['@acme/fraud-team'],
      targets: ['lambda', 'server'],
      environments: {
        dev: {
          lambda: { memoryMb: 1024, reservedConcurrency: 5 },
          usagePlan: { throttle: { rateLimit: 10, burstLimit: 20 }, quota: { limit: 100000, period: 'MONTH' } },
          server: { instanceType: 't3.small', minInstances: 1, maxInstances: 2 },
        },
        prod: {
          lambda: { memoryMb: 2048, reservedConcurrency: 10 },
          usagePlan: { throttle: { rateLimit: 20, burstLimit: 40 }, quota: { limit: 200000, period: 'MONTH' } },
          server: { instanceType: 't3.medium', minInstances: 2, maxInstances: 4 },
        },
      },
    });
    expect(tree.read('.github/CODEOWNERS', 'utf8')).toBe(
      '# Who reviews what: each service is owned by its team.\n/services/fraud/ @acme/fraud-team\n',
    );
    expect(changedPaths()).toEqual(['.github/CODEOWNERS', 'services/fraud/models/.gitkeep', 'services/fraud/service.json']);
  });

  it('gives a server-only service no Lambda settings and no usage plan, and appends to an existing CODEOWNERS', async () => {
    tree.write('.github/CODEOWNERS', '/services/examples/ @onnx-serve/platform');
    await serviceGenerator(tree, { name: 'churn', owner: '@alice', target: 'server' });
    expect(JSON.parse(tree.read('services/churn/service.json', 'utf8')!).environments.dev).toEqual({
      server: { instanceType: 't3.small', minInstances: 1, maxInstances: 2 },
    });
    expect(tree.read('.github/CODEOWNERS', 'utf8')).toBe('/services/examples/ @onnx-serve/platform\n/services/churn/ @alice\n');
  });

  it.each([
    [{ name: 'Fraud', owner: '@acme', target: 'lambda' }, '"Fraud" is not a service name: lowercase letters and digits in dash-separated words, starting with a letter (e.g. fraud-scoring)'],
    [{ name: 'fraud', owner: 'acme', target: 'lambda' }, '--owner=acme: a GitHub handle, @user or @org/team'],
    [{ name: 'fraud', owner: '@acme', target: 'k8s' }, '--target=k8s: one of lambda, server, both'],
  ])('refuses %j and writes nothing', async (options, message) => {
    await expect(serviceGenerator(tree, options)).rejects.toThrow(message);
    expect(changedPaths()).toEqual([]);
  });

  it('refuses a service that exists', async () => {
    tree.write('services/fraud/service.json', '{}');
    const before = changedPaths();
    await expect(serviceGenerator(tree, { name: 'fraud', owner: '@acme', target: 'lambda' })).rejects.toThrow(
      'services/fraud exists already: pick another name',
    );
    expect(changedPaths()).toEqual(before);
  });
});
