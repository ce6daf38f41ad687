// Which image each repository's target runs, recorded in the registry itself. A deploy that is given a
// digest tags that image `deployed-<UTC time>` before it applies (tags are immutable, so each such deploy adds
// one); the newest of those tags names what the target runs now, and a deploy given no digest runs that one
// again. The lifecycle rule keeps every image with such a tag (container-repository.ts), so the image running
// now and those a rollback goes back to never expire.
import { spawnSync } from 'node:child_process';
import { DEPLOYED_TAG_PREFIX } from './names';

/** Runs one `aws` command and returns its parsed JSON output, or throws AwsCliError. */
export type AwsCli = (args: readonly string[]) => unknown;

export class AwsCliError extends Error {
  override readonly name = 'AwsCliError';
}

export const awsCli: AwsCli = (args) => {
  const result = spawnSync('aws', [...args, '--output', 'json'], { encoding: 'utf8' });
  if (result.error) throw new AwsCliError(`cannot run the AWS CLI (aws ${args.slice(0, 2).join(' ')}): ${result.error.message}`);
  if (result.status !== 0) throw new AwsCliError(`aws ${args.slice(0, 2).join(' ')} failed: ${result.stderr.trim()}`);
  return result.stdout.trim() ? (JSON.parse(result.stdout) as unknown) : {};
};

export interface Repository {
  readonly region: string;
  readonly name: string;
}

interface ImageDetail {
  readonly imageDigest: string;
  readonly imageTags?: readonly string[];
}

/** `deployed-20261202T012233.123Z`: the tags sort as the deploys happened. */
export const deployedTag = (at: Date): string => `${DEPLOYED_TAG_PREFIX}${at.toISOString().replace(/[-:]/g, '')}`;

/** The newest deploy tag of each image, and the image it names. */
export interface DeployedImage {
  readonly digest: string;
  readonly tag: string;
}

/** Every image a deploy tagged, the newest deploy first: [0] runs now, the others are what a rollback can go back to. */
export function deployHistory(images: readonly ImageDetail[]): DeployedImage[] {
  return images
    .flatMap((image) => (image.imageTags ?? []).filter((tag) => tag.startsWith(DEPLOYED_TAG_PREFIX)).map((tag) => ({ digest: image.imageDigest, tag })))
    .sort((a, b) => (a.tag < b.tag ? 1 : a.tag > b.tag ? -1 : 0));
}

const repositoryArgs = (repository: Repository) => ['--region', repository.region, '--repository-name', repository.name];

const imageDetails = (output: unknown): ImageDetail[] => (output as { imageDetails?: ImageDetail[] }).imageDetails ?? [];

/** The deploys recorded in a repository, newest first (empty when nothing was deployed with a record). */
export const readDeployHistory = (aws: AwsCli, repository: Repository): DeployedImage[] =>
  deployHistory(imageDetails(aws(['ecr', 'describe-images', ...repositoryArgs(repository), '--filter', 'tagStatus=TAGGED'])));

/** The digest of the image pushed with `tag` (tags are immutable: it names one image for good). */
export function digestOfTag(aws: AwsCli, repository: Repository, tag: string): string {
  const [image] = imageDetails(aws(['ecr', 'describe-images', ...repositoryArgs(repository), '--image-ids', `imageTag=${tag}`]));
  if (!image) throw new AwsCliError(`no image tagged ${tag} in ${repository.name}`);
  return image.imageDigest;
}

/** Tags the image `digest` as deployed now: ECR adds a tag by putting the image's own manifest again. */
export function tagDeployed(aws: AwsCli, repository: Repository, digest: string, at: Date): string {
  const output = aws(['ecr', 'batch-get-image', ...repositoryArgs(repository), '--image-ids', `imageDigest=${digest}`]) as {
    images?: { imageManifest: string; imageManifestMediaType?: string }[];
  };
  const [image] = output.images ?? [];
  if (!image) throw new AwsCliError(`no image ${digest} in ${repository.name}: push it first`);
  const tag = deployedTag(at);
  aws([
    'ecr',
    'put-image',
    ...repositoryArgs(repository),
    '--image-tag',
    tag,
    // ECR refuses the call unless the manifest is that very image's, so the tag cannot land on another.
    '--image-digest',
    digest,
    '--image-manifest',
    image.imageManifest,
    ...(image.imageManifestMediaType ? ['--image-manifest-media-type', image.imageManifestMediaType] : []),
  ]);
  return tag;
}
