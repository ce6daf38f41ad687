// The image build scripts without a Docker engine: the exact `docker buildx` command each target runs on a
// service's staged folder (staged here from the test fixtures), the clear failure when push has no repository,
// the pruning of onnxruntime-node's binaries, TARGET_ARCH.
import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundledModelDir } from '@onnx-serve/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ImageBuildError, planImage } from '../build/docker-image';
import { imageTargets, workspaceRoot } from '../build/image-targets';
import { pruneOnnxRuntime, stagedArch } from '../build/prune-onnxruntime';
import { stageImage, targetArch } from '../build/stage-image';

const platform = process.arch === 'arm64' ? 'linux/arm64' : 'linux/amd64';
const temps: string[] = [];
afterEach(async () => {
  await Promise.all(temps.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

// A service of the tests' own, staged where a service's stage target writes: dist/services/<service>/<target>.
const service = 'image-build-test';
const stagedRoot = join(workspaceRoot, 'dist/services', service);

describe('image and push commands', () => {
  beforeAll(async () => {
    for (const target of [imageTargets.lambda, imageTargets.server]) {
      await stageImage(target, { arch: targetArch(), modelDir: bundledModelDir, outDir: join(stagedRoot, target.name) });
    }
  });
  afterAll(() => rm(stagedRoot, { recursive: true, force: true }));

  it("image builds the service's staged folder for its staged platform with the target's Dockerfile and loads it locally", async () => {
    expect(await planImage(imageTargets.lambda, { service, push: false, env: { IMAGE_TAG: 'abc123' } })).toEqual({
      args: [
        'buildx', 'build', '--platform', platform, '--provenance=false', '--file', 'deploy/lambda/Dockerfile',
        '--build-arg', 'APP_VERSION=abc123', '--tag', `onnx-serve-${service}-lambda:local`, '--load', `dist/services/${service}/lambda`,
      ],
    });
  });

  it('push tags the ECR repository with IMAGE_TAG and records the digest', async () => {
    const env = { IMAGE_TAG: 'abc123', SERVER_REPOSITORY_URL: '123456789012.dkr.ecr.us-east-1.amazonaws.com/onnx-serve-dev-server' };
    expect(await planImage(imageTargets.server, { service, push: true, env })).toEqual({
      args: [
        'buildx', 'build', '--platform', platform, '--provenance=false', '--file', 'deploy/server/Dockerfile',
        '--build-arg', 'APP_VERSION=abc123', '--tag', `${env.SERVER_REPOSITORY_URL}:abc123`,
        '--push', '--metadata-file', `dist/services/${service}/server.push.json`, `dist/services/${service}/server`,
      ],
      metadataFile: `dist/services/${service}/server.push.json`,
    });
  });

  it('refuses a service whose folder is not staged, naming the stage target', async () => {
    await expect(planImage(imageTargets.server, { service: 'not-staged', push: false, env: {} })).rejects.toThrow(
      new ImageBuildError('dist/services/not-staged/server is not staged: run npx nx run not-staged:stage-server first'),
    );
  });

  it('push fails naming the variable when the ECR repository is not set', async () => {
    await expect(planImage(imageTargets.lambda, { service, push: true, env: {} })).rejects.toThrow(
      new ImageBuildError(
        `LAMBDA_REPOSITORY_URL is not set: the ECR repository URL to push ${service}'s lambda image to ` +
          '(<account>.dkr.ecr.<region>.amazonaws.com/<name>; export $(infra/scripts/image-env.sh <env>) sets it)',
      ),
    );
  });

  const dockerImageCli = (...args: string[]) => {
    const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.endsWith('_REPOSITORY_URL')));
    return spawnSync(process.execPath, [join(workspaceRoot, 'node_modules/tsx/dist/cli.mjs'), 'deploy/build/docker-image.ts', ...args], {
      cwd: workspaceRoot,
      env,
      encoding: 'utf8',
    });
  };

  it('the push CLI exits 1 with that message instead of a stack trace', () => {
    const cli = dockerImageCli('server', service, '--push');
    expect([cli.status, cli.stderr.trim()]).toEqual([
      1,
      `${service} server image: SERVER_REPOSITORY_URL is not set: the ECR repository URL to push ${service}'s server image to ` +
        '(<account>.dkr.ecr.<region>.amazonaws.com/<name>; export $(infra/scripts/image-env.sh <env>) sets it)',
    ]);
  });

  it('the CLI refuses a missing service with its usage', () => {
    const cli = dockerImageCli('server');
    expect([cli.status, cli.stderr.trim()]).toEqual([
      2,
      'usage: docker-image.ts <target> <service> [--push] [--dry-run]\n  <service> is the name of a folder of services/',
    ]);
  });
});

describe('onnxruntime-node pruning', () => {
  async function fakePackage(): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), 'ort-package-'));
    temps.push(dir);
    for (const arch of ['darwin/arm64', 'linux/x64', 'linux/arm64', 'win32/x64', 'win32/arm64']) {
      await mkdir(join(dir, 'bin/napi-v6', arch), { recursive: true });
      await writeFile(join(dir, 'bin/napi-v6', arch, 'onnxruntime_binding.node'), '');
    }
    return dir;
  }

  it('keeps linux/<arch> only', async () => {
    const dir = await fakePackage();
    expect(await pruneOnnxRuntime(dir, 'arm64')).toEqual([
      'bin/napi-v6/darwin',
      'bin/napi-v6/linux/x64',
      'bin/napi-v6/win32',
    ]);
    expect(await readdir(join(dir, 'bin/napi-v6'), { recursive: true })).toEqual([
      'linux',
      'linux/arm64',
      'linux/arm64/onnxruntime_binding.node',
    ]);
    expect(await stagedArch(dir)).toBe('arm64');
  });

  it('refuses a package without a binary for the architecture', async () => {
    const dir = await fakePackage();
    await rm(join(dir, 'bin/napi-v6/linux/x64'), { recursive: true });
    await expect(pruneOnnxRuntime(dir, 'x64')).rejects.toThrow('has no linux/x64 binary');
  });

  it('stagedArch refuses an unpruned package', async () => {
    await expect(stagedArch(await fakePackage())).rejects.toThrow('not exactly one architecture: stage again');
  });
});

describe('TARGET_ARCH', () => {
  it('takes Node and Docker names for both architectures', () => {
    expect(['x64', 'amd64', 'arm64', 'aarch64'].map((name) => targetArch(name))).toEqual(['x64', 'x64', 'arm64', 'arm64']);
  });

  it('refuses any other architecture', () => {
    expect(() => targetArch('riscv64')).toThrow('TARGET_ARCH=riscv64: the images run on linux x64 (amd64) or arm64');
  });
});
