// Synthesises and runs cdktf for exactly one service's stacks (or the shared stacks, or one stack, or all of
// them), in the environment's own output folder infra/cdktf.out/<env>. The Nx targets of infra and of each
// service run this.
//   tsx infra/scripts/service-infra.ts <synth|diff|deploy|destroy> <service>
//   tsx infra/scripts/service-infra.ts <synth|diff|deploy|destroy> --shared      (registry, models, api-gateway-account)
//   tsx infra/scripts/service-infra.ts <synth|diff|deploy|destroy> --stack <stack id>
//   tsx infra/scripts/service-infra.ts synth --all
//   tsx infra/scripts/service-infra.ts image-env <service> [--tag <tag> | --deployed]
//       (REGISTRY, the service's repository URLs, TARGET_ARCH; with --tag the digests of the images pushed
//       with that tag, with --deployed the digests deployed now)
// INFRA_ENV picks the environment (default dev). diff and deploy run the digests in LAMBDA_IMAGE_DIGEST /
// SERVER_IMAGE_DIGEST (what the push printed, or a rollback's) and, for a target given none, the digest
// deployed now; deploy records a given digest as deployed (image-selection.ts) and refuses a target that
// has neither.
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { ServiceConfigError } from '@onnx-serve/service-config';
import { registryHost } from '../src/aws/arns';
import { AwsCliError, awsCli, digestOfTag, readDeployHistory } from '../src/aws/deployed-images';
import { repositoryName } from '../src/aws/names';
import { DIGEST_VARIABLES, requireAccountFor } from '../src/app';
import type { Architecture } from '../src/config/infra-config';
import { InfraConfigError, requireAccount } from '../src/config/load-infra-config';
import { chooseImages, digestEnv, missingImageProblems, recordGivenImages, targetRepository } from '../src/image-selection';
import { INFRA_ROOT, pathsFromEnv, type Paths } from '../src/paths';
import { outputDir, planRun, type Run, type Selection } from '../src/selection';

const VERBS = ['synth', 'diff', 'deploy', 'destroy', 'image-env'] as const;
type Verb = (typeof VERBS)[number];

const USAGE = `usage: tsx infra/scripts/service-infra.ts <synth|diff|deploy|destroy> <service>
       tsx infra/scripts/service-infra.ts <synth|diff|deploy|destroy> --shared
       tsx infra/scripts/service-infra.ts <synth|diff|deploy|destroy> --stack <stack id>
       tsx infra/scripts/service-infra.ts synth --all
       tsx infra/scripts/service-infra.ts image-env <service> [--tag <tag> | --deployed]`;

class UsageError extends Error {}

/** Which digests image-env prints beside the locations: none, those of a pushed tag, or those deployed now. */
type DigestQuery = { readonly kind: 'none' } | { readonly kind: 'tag'; readonly tag: string } | { readonly kind: 'deployed' };

function parseImageEnvArgs(args: readonly string[]): { service: string; query: DigestQuery } {
  const [service, option, value, ...rest] = args;
  if (!service || service.startsWith('-')) throw new UsageError('image-env takes a service name');
  if (option === '--digests') {
    throw new UsageError('image-env --digests is gone: it took the newest image in ECR, which undoes a rollback; use --tag <the tag you pushed> or --deployed');
  }
  const query: DigestQuery | undefined =
    option === undefined
      ? { kind: 'none' }
      : option === '--deployed' && value === undefined
        ? { kind: 'deployed' }
        : option === '--tag' && value && rest.length === 0
          ? { kind: 'tag', tag: value }
          : undefined;
  if (!query) throw new UsageError(`cannot read the arguments "${args.join(' ')}"`);
  return { service, query };
}

function parseArgs(args: readonly string[]): { verb: Verb; selection: Selection } {
  const [verb, first, second, ...rest] = args;
  if (verb === 'image-env') return { verb, selection: { kind: 'service', service: parseImageEnvArgs(args.slice(1)).service } };
  if (!VERBS.includes(verb as Verb)) throw new UsageError(verb ? `unknown command "${verb}"` : 'no command');
  // What `{args.stack}` becomes when `nx run infra:deploy-stack` is given no --stack: nothing, or blanks.
  if (first === '--stack' && !second?.trim()) throw new UsageError(`${verb} --stack needs a stack id`);
  const selection: Selection | undefined =
    first === '--all' && second === undefined
      ? { kind: 'all' }
      : first === '--shared' && second === undefined
        ? { kind: 'shared' }
        : first === '--stack' && second
          ? { kind: 'stack', stack: second }
          : first && !first.startsWith('-') && second === undefined
            ? { kind: 'service', service: first }
            : undefined;
  if (!selection || rest.length > 0) throw new UsageError(`cannot read the arguments "${args.slice(1).join(' ')}"`);
  if (selection.kind === 'all' && verb !== 'synth') throw new UsageError('--all is for synth only: diff, deploy and destroy take one service, --shared or one stack');
  return { verb: verb as Verb, selection };
}

/** TARGET_ARCH of the image build (deploy/build/stage-image.ts) for each configured architecture. */
const TARGET_ARCH: Record<Architecture, string> = { x86_64: 'x64', arm64: 'arm64' };

/** The variables a service's push reads: where its images go, and for which architecture; and the digests asked for. */
function imageEnv(run: Run, service: string, query: DigestQuery): string[] {
  const { accountId } = requireAccount(run.config, ['accountId'], `the ${service} images`);
  const registry = registryHost({ accountId, region: run.config.region });
  const lines = [`REGISTRY=${registry}`];
  const targets = run.stacks.flatMap(({ target }) => (target ? [target] : []));
  for (const target of targets) {
    lines.push(`${target.toUpperCase()}_REPOSITORY_URL=${registry}/${repositoryName(run.config.namePrefix, service, target)}`);
  }
  // The images are built for the architecture the config runs them on, never the build host's.
  const architectures = [...new Set(targets.map((target) => (target === 'lambda' ? run.config.lambdaApi : run.config.ec2Api).architecture))];
  if (architectures.length > 1) {
    throw new InfraConfigError(
      `${service}: lambdaApi.architecture and ec2Api.architecture differ in ${run.config.environment}, and one push builds both images for one TARGET_ARCH`,
    );
  }
  if (architectures[0]) lines.push(`TARGET_ARCH=${TARGET_ARCH[architectures[0]]}`);
  for (const target of query.kind === 'none' ? [] : targets) {
    const repository = targetRepository(run.config, service, target);
    const digest = query.kind === 'tag' ? digestOfTag(awsCli, repository, query.tag) : readDeployHistory(awsCli, repository)[0]?.digest;
    if (!digest) throw new AwsCliError(`nothing was deployed from ${repository.name} with a record yet: use --tag <the tag you pushed>`);
    lines.push(`${DIGEST_VARIABLES[target]}=${digest}`);
  }
  return lines;
}

/** The cdktf invocations of one verb; diff plans one stack per call. */
function cdktfCalls(verb: Exclude<Verb, 'image-env'>, ids: readonly string[], output: readonly string[]): string[][] {
  if (verb === 'synth') return [['synth', ...output]];
  if (verb === 'diff') return ids.map((id) => ['diff', id, ...output]);
  return [[verb, ...ids, '--auto-approve', ...output]];
}

/** Every variable, the unused ones empty: a value exported in the caller's shell must not narrow the run. */
function selectionEnv(selection: Selection): Record<string, string> {
  return {
    INFRA_SERVICE: selection.kind === 'service' ? selection.service : '',
    INFRA_STACK: selection.kind === 'stack' ? selection.stack : '',
    INFRA_SHARED: selection.kind === 'shared' ? '1' : '',
  };
}

function main(args: readonly string[]): number {
  const { verb, selection } = parseArgs(args);
  // Loading here validates config, account values and service.json before cdktf starts, with plain messages.
  const paths: Paths = pathsFromEnv(process.env);
  const run = planRun(paths, process.env, selection);
  if (verb === 'image-env') {
    const { service, query } = parseImageEnvArgs(args.slice(1));
    console.log(imageEnv(run, service, query).join('\n'));
    return 0;
  }
  requireAccountFor(run.config, run.stacks);
  // diff and deploy run what is deployed unless given a digest; synth and destroy read no registry.
  const images = verb === 'diff' || verb === 'deploy' ? chooseImages(run.config, run.stacks, awsCli) : [];
  for (const image of images) console.error(`service-infra: ${image.stack} runs ${image.digest ?? 'no image'} (${image.source})`);
  const imageVariables = digestEnv(images);
  if (verb === 'deploy') {
    const problems = missingImageProblems(images);
    if (problems.length > 0) {
      console.error(`service-infra: refusing to deploy:\n${problems.map((p) => `  ${p}`).join('\n')}`);
      return 1;
    }
    for (const line of recordGivenImages(awsCli, images, new Date())) console.error(`service-infra: recorded ${line}`);
  }
  const ids = run.stacks.map((stack) => stack.id);
  // Absolute, so INFRA_OUTPUT_ROOT means the same to cdktf (run in infra/) and to the app it starts.
  const output = resolve(INFRA_ROOT, outputDir(paths, run.config.environment));
  console.error(`service-infra: ${verb} ${ids.join(', ')} (environment ${run.config.environment}, output ${output})`);
  const env = {
    ...process.env,
    ...imageVariables,
    ...selectionEnv(selection),
    INFRA_ENV: run.config.environment,
    INFRA_DEPLOY: verb === 'deploy' ? '1' : '',
    CHECKPOINT_DISABLE: '1',
  };
  const cdktf = join(INFRA_ROOT, '../node_modules/.bin/cdktf');
  for (const call of cdktfCalls(verb, ids, ['--output', output])) {
    const result = spawnSync(cdktf, call, { cwd: INFRA_ROOT, env, stdio: 'inherit' });
    if (result.error) throw result.error;
    if (result.status !== 0) return result.status ?? 1;
  }
  return 0;
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (error) {
  if (error instanceof UsageError) {
    console.error(`service-infra: ${error.message}\n${USAGE}`);
  } else if (error instanceof InfraConfigError || error instanceof ServiceConfigError || error instanceof AwsCliError) {
    console.error(`service-infra: ${error.message}`);
  } else {
    throw error;
  }
  process.exitCode = 1;
}
