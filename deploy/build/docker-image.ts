// `nx run <service>:image-<target>` and `:push-<target>`: `docker buildx build` of the service's staged folder
// with deploy/<target>/Dockerfile, for the one platform whose onnxruntime binaries were staged (TARGET_ARCH at
// stage time). `image` loads it into the local engine as onnx-serve-<service>-<target>:local; `push` sends it to
// ECR as <repository>:<IMAGE_TAG> and prints its digest.
// Single-platform manifests without provenance attestations: Lambda refuses image indexes.
// Usage: tsx deploy/build/docker-image.ts <lambda|server> <service> [--push] [--dry-run]
//   push needs LAMBDA_REPOSITORY_URL / SERVER_REPOSITORY_URL (export $(infra/scripts/image-env.sh <env>)) and
//   takes IMAGE_TAG (default: the git commit). --dry-run prints the docker command instead of running it.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type ImageTarget, isMain, localTag, serviceFromArgs, stageDir, targetFromArgs, workspaceRoot } from './image-targets';
import { stagedArch } from './prune-onnxruntime';

export class ImageBuildError extends Error {
  override name = 'ImageBuildError';
}

export interface ImagePlan {
  args: string[];
  /** Where buildx writes the pushed image's digest (push only). */
  metadataFile?: string;
}

type Env = Record<string, string | undefined>;

export async function planImage(target: ImageTarget, options: { service: string; push: boolean; env: Env }): Promise<ImagePlan> {
  // Paths relative to the workspace, where docker runs: the printed command reads the same on any machine.
  const context = stageDir(options.service, target);
  if (!existsSync(join(workspaceRoot, context, target.file))) {
    throw new ImageBuildError(`${context} is not staged: run npx nx run ${options.service}:stage-${target.name} first`);
  }
  const platform = (await stagedArch(join(workspaceRoot, context, 'node_modules/onnxruntime-node'))) === 'x64' ? 'linux/amd64' : 'linux/arm64';
  const tag = options.env['IMAGE_TAG'] || gitCommit();
  const common = ['buildx', 'build', '--platform', platform, '--provenance=false', '--file', target.dockerfile];
  const version = ['--build-arg', `APP_VERSION=${tag}`];
  if (!options.push) return { args: [...common, ...version, '--tag', localTag(options.service, target), '--load', context] };

  const repository = options.env[target.repositoryVariable];
  if (!repository) {
    throw new ImageBuildError(
      `${target.repositoryVariable} is not set: the ECR repository URL to push ${options.service}'s ${target.name} image to ` +
        `(<account>.dkr.ecr.<region>.amazonaws.com/<name>; export $(infra/scripts/image-env.sh <env>) sets it)`,
    );
  }
  const metadataFile = `${context}.push.json`;
  return {
    args: [...common, ...version, '--tag', `${repository}:${tag}`, '--push', '--metadata-file', metadataFile, context],
    metadataFile,
  };
}

function gitCommit(): string {
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], { cwd: workspaceRoot, encoding: 'utf8' }).trim();
  } catch {
    throw new ImageBuildError('IMAGE_TAG is not set and this is not a git checkout: set IMAGE_TAG');
  }
}

function runDocker(args: string[]): void {
  const probe = spawnSync('docker', ['buildx', 'version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) {
    throw new ImageBuildError(
      'docker buildx is not available here (a Docker engine with the buildx plugin is needed to build images); ' +
        'the image content itself is staged by the stage target',
    );
  }
  const build = spawnSync('docker', args, { cwd: workspaceRoot, stdio: 'inherit' });
  if (build.status !== 0) throw new ImageBuildError(`docker ${args.slice(0, 2).join(' ')} failed (exit ${build.status})`);
}

if (isMain(import.meta.url)) {
  const usage = 'docker-image.ts <target> <service> [--push] [--dry-run]';
  const target: ImageTarget = targetFromArgs(process.argv, usage);
  const service = serviceFromArgs(process.argv, usage);
  const flags = new Set(process.argv.slice(4));
  try {
    const plan = await planImage(target, { service, push: flags.has('--push'), env: process.env });
    if (flags.has('--dry-run')) {
      console.log(JSON.stringify(['docker', ...plan.args]));
    } else {
      runDocker(plan.args);
      if (plan.metadataFile) {
        const digest = (JSON.parse(readFileSync(join(workspaceRoot, plan.metadataFile), 'utf8')) as Record<string, string>)['containerimage.digest'];
        // What infra deploys (LAMBDA_IMAGE_DIGEST / SERVER_IMAGE_DIGEST), one NAME=value line for CI.
        console.log(`${target.digestVariable}=${digest}`);
      } else {
        console.log(`built ${localTag(service, target)}`);
      }
    }
  } catch (error) {
    if (!(error instanceof ImageBuildError)) throw error;
    console.error(`${service} ${target.name} image: ${error.message}`);
    process.exit(1);
  }
}
