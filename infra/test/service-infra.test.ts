// scripts/service-infra.ts as the Nx targets run it: from the workspace root, on test services in a
// temporary services folder, writing to a temporary output root.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { image, type FakeRegistry } from './fake-ecr';
import { FRAUD, LAMBDA_DIGEST, resources, SERVER_DIGEST, TEST_ACCOUNT, VISION, type TerraformJson } from './synthesized';

const WORKSPACE = fileURLToPath(new URL('../../', import.meta.url));
const servicesDir = mkdtempSync(join(tmpdir(), 'infra-services-'));
for (const service of [FRAUD, VISION]) {
  mkdirSync(join(servicesDir, service.name));
  writeFileSync(join(servicesDir, service.name, 'service.json'), JSON.stringify(service.config));
}

// The `aws` first on PATH is fake-aws.ts over a registry in a JSON file: no test reaches AWS.
const fakeBin = mkdtempSync(join(tmpdir(), 'infra-fake-aws-'));
writeFileSync(join(fakeBin, 'aws'), `#!/bin/sh\nexec '${join(WORKSPACE, 'node_modules/.bin/tsx')}' '${join(WORKSPACE, 'infra/test/fake-aws.ts')}' "$@"\n`, { mode: 0o755 });
const registryFile = (registry: FakeRegistry) => {
  const file = join(mkdtempSync(join(tmpdir(), 'infra-ecr-')), 'registry.json');
  writeFileSync(file, JSON.stringify(registry));
  return file;
};
const EMPTY_REGISTRY = registryFile({ 'onnx-serve-dev-fraud-lambda': [], 'onnx-serve-dev-vision-server': [] });

// Each start of the script (and of the fake aws) is a tsx process: slow on a loaded machine.
const SPAWNS = { timeout: 300_000 };

function serviceInfra(args: string[], env: Record<string, string> = {}, outputRoot = mkdtempSync(join(tmpdir(), 'infra-out-'))) {
  const result = spawnSync(join(WORKSPACE, 'node_modules/.bin/tsx'), ['infra/scripts/service-infra.ts', ...args], {
    cwd: WORKSPACE,
    encoding: 'utf8',
    env: {
      PATH: `${fakeBin}:${process.env['PATH']}`,
      HOME: process.env['HOME'],
      ...TEST_ACCOUNT,
      INFRA_SERVICES_DIR: servicesDir,
      INFRA_OUTPUT_ROOT: outputRoot,
      FAKE_ECR_STATE: EMPTY_REGISTRY,
      ...env,
    },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr, outputRoot };
}

describe('service-infra.ts', () => {
  it('refuses an unknown service with a readable message and a non-zero exit', () => {
    const run = serviceInfra(['deploy', 'frauds']);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('service-infra: unknown service "frauds": services/ holds fraud, vision');
  });

  it('refuses to deploy a target given no digest with nothing deployed to run again, before cdktf runs', SPAWNS, () => {
    const run = serviceInfra(['deploy', 'fraud']);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(
      'service-infra: refusing to deploy:\n  fraud-lambda-api: no image given and none deployed yet (no deployed-* tag in onnx-serve-dev-fraud-lambda): ' +
        'push the fraud lambda image and set LAMBDA_IMAGE_DIGEST',
    );
    expect(readdirSync(run.outputRoot)).toEqual([]);
  });

  it('refuses to deploy a given digest the repository does not hold, before cdktf runs', SPAWNS, () => {
    const run = serviceInfra(['deploy', 'fraud'], { LAMBDA_IMAGE_DIGEST: LAMBDA_DIGEST });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(`service-infra: no image ${LAMBDA_DIGEST} in onnx-serve-dev-fraud-lambda: push it first`);
    expect(readdirSync(run.outputRoot)).toEqual([]);
  });

  it('prints its usage for arguments it cannot read', SPAWNS, () => {
    for (const args of [['deploy'], ['deploy', '--all'], ['ship', 'fraud'], ['synth', 'fraud', 'vision'], ['deploy', '--shared', '--stack=registry']]) {
      const run = serviceInfra(args);
      expect(run.status, args.join(' ')).toBe(1);
      expect(run.stderr).toContain('usage: tsx infra/scripts/service-infra.ts <synth|diff|deploy|destroy> <service>');
    }
  });

  it('refuses a per-stack command without its stack id (what `nx run infra:deploy-stack` without --stack runs)', SPAWNS, () => {
    for (const args of [['diff', '--stack'], ['deploy', '--stack', ''], ['destroy', '--stack', ' ']]) {
      const run = serviceInfra(args);
      expect(run.status, args.join(' ')).toBe(1);
      expect(run.stderr.split('\n').slice(0, 2)).toEqual([
        `service-infra: ${args[0]} --stack needs a stack id`,
        'usage: tsx infra/scripts/service-infra.ts <synth|diff|deploy|destroy> <service>',
      ]);
      expect(readdirSync(run.outputRoot)).toEqual([]);
    }
  });

  it('synthesises the shared stacks alone, the registry with every service’s repositories', SPAWNS, () => {
    const run = serviceInfra(['synth', '--shared']);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).toContain(`service-infra: synth registry, models, api-gateway-account (environment dev, output ${join(run.outputRoot, 'dev')})`);
    expect(readdirSync(join(run.outputRoot, 'dev/stacks')).sort()).toEqual(['api-gateway-account', 'models', 'registry']);
    const registry = JSON.parse(readFileSync(join(run.outputRoot, 'dev/stacks/registry/cdk.tf.json'), 'utf8')) as TerraformJson;
    expect(resources(registry, 'aws_ecr_repository').map((r) => r['name']).sort()).toEqual(['onnx-serve-dev-fraud-lambda', 'onnx-serve-dev-vision-server']);
  });

  it('prints where a service’s images go, for its own targets, and the architecture the config runs them on', () => {
    const run = serviceInfra(['image-env', 'vision']);
    expect(run.stdout).toBe(
      'REGISTRY=123456789012.dkr.ecr.us-east-1.amazonaws.com\n' +
        'SERVER_REPOSITORY_URL=123456789012.dkr.ecr.us-east-1.amazonaws.com/onnx-serve-dev-vision-server\n' +
        // From ec2Api.architecture (x86_64), whatever the build host is.
        'TARGET_ARCH=x64\n',
    );
  });

  describe('image-env digests', () => {
    const NEWEST = `sha256:${'c'.repeat(64)}`;
    // The server image was rolled back to SERVER_DIGEST; NEWEST was pushed after and never deployed.
    const rolledBack = registryFile({
      'onnx-serve-dev-vision-server': [
        image(SERVER_DIGEST, 'v1', 'deployed-20261201T100000.000Z', 'deployed-20261201T120000.000Z'),
        image(LAMBDA_DIGEST, 'v2', 'deployed-20261201T110000.000Z'),
        image(NEWEST, 'v3'),
      ],
    });
    const LOCATIONS =
      'REGISTRY=123456789012.dkr.ecr.us-east-1.amazonaws.com\n' +
      'SERVER_REPOSITORY_URL=123456789012.dkr.ecr.us-east-1.amazonaws.com/onnx-serve-dev-vision-server\n' +
      'TARGET_ARCH=x64\n';

    it('prints the digests deployed now with --deployed: the rollback’s, not the newest image', () => {
      const run = serviceInfra(['image-env', 'vision', '--deployed'], { FAKE_ECR_STATE: rolledBack });
      expect(run.stderr).toBe('');
      expect(run.stdout).toBe(`${LOCATIONS}SERVER_IMAGE_DIGEST=${SERVER_DIGEST}\n`);
    });

    it('prints the digests of the images pushed with a tag with --tag', SPAWNS, () => {
      const run = serviceInfra(['image-env', 'vision', '--tag', 'v3'], { FAKE_ECR_STATE: rolledBack });
      expect(run.stdout).toBe(`${LOCATIONS}SERVER_IMAGE_DIGEST=${NEWEST}\n`);
      const missing = serviceInfra(['image-env', 'vision', '--tag', 'v9'], { FAKE_ECR_STATE: rolledBack });
      expect(missing.status).toBe(1);
      expect(missing.stderr).toContain('ImageNotFoundException: imageTag=v9');
    });

    it('refuses --deployed where nothing was deployed with a record, and the old --digests, which took the newest image', SPAWNS, () => {
      const none = serviceInfra(['image-env', 'vision', '--deployed']);
      expect(none.status).toBe(1);
      expect(none.stderr).toBe('service-infra: nothing was deployed from onnx-serve-dev-vision-server with a record yet: use --tag <the tag you pushed>\n');
      const old = serviceInfra(['image-env', 'vision', '--digests']);
      expect(old.status).toBe(1);
      expect(old.stderr).toContain('service-infra: image-env --digests is gone: it took the newest image in ECR, which undoes a rollback');
    });
  });

  it('synthesises exactly the service’s stacks, each environment into its own folder with its own backend', SPAWNS, () => {
    const read = (root: string, environment: string) =>
      JSON.parse(readFileSync(join(root, environment, 'stacks/fraud-lambda-api/cdk.tf.json'), 'utf8')) as TerraformJson;
    const dev = serviceInfra(['synth', 'fraud'], { INFRA_ENV: 'dev', LAMBDA_IMAGE_DIGEST: LAMBDA_DIGEST });
    expect(dev.status, dev.stderr).toBe(0);
    expect(readdirSync(join(dev.outputRoot, 'dev/stacks'))).toEqual(['fraud-lambda-api']);
    expect(String(read(dev.outputRoot, 'dev').terraform?.backend?.['local']?.['path'])).toMatch(/infra\/state\/dev\/services\/fraud\/lambda-api\.tfstate$/);
    // prod after dev from one checkout: a folder of its own, dev's left as it was.
    const prod = serviceInfra(['synth', 'fraud'], { INFRA_ENV: 'prod', LAMBDA_IMAGE_DIGEST: LAMBDA_DIGEST }, dev.outputRoot);
    expect(prod.status, prod.stderr).toBe(0);
    expect(readdirSync(dev.outputRoot).sort()).toEqual(['dev', 'prod']);
    expect(read(dev.outputRoot, 'dev').terraform?.backend).toHaveProperty('local');
    expect(read(prod.outputRoot, 'prod').terraform?.backend?.['s3']?.['key']).toBe('onnx-serve/prod/services/fraud/lambda-api.tfstate');
  });
});
