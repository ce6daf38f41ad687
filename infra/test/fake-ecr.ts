// An in-memory ECR for the `aws ecr` calls aws/deployed-images.ts makes, with ECR's rules that matter here:
// tags are immutable, and put-image must carry the manifest of the digest it names. The service-infra tests
// run it as the `aws` command (fake-aws.ts).
import { AwsCliError, type AwsCli } from '../src/aws/deployed-images';

export interface FakeImage {
  readonly digest: string;
  readonly tags: string[];
  readonly manifest: string;
}

/** Images by repository name, oldest push first. */
export type FakeRegistry = Record<string, FakeImage[]>;

export const manifestOf = (digest: string): string => JSON.stringify({ schemaVersion: 2, config: { digest } });

export const image = (digest: string, ...tags: string[]): FakeImage => ({ digest, tags, manifest: manifestOf(digest) });

function option(args: readonly string[], name: string): string | undefined {
  const index = args.indexOf(name);
  return index === -1 ? undefined : args[index + 1];
}

export function fakeEcr(registry: FakeRegistry): AwsCli & { readonly calls: string[][] } {
  const calls: string[][] = [];
  const aws = (args: readonly string[]): unknown => {
    calls.push([...args]);
    const [service, command] = args;
    const name = option(args, '--repository-name') ?? '';
    const images = registry[name];
    if (service !== 'ecr' || !images) throw new AwsCliError(`fake aws: no repository ${name} (aws ${args.join(' ')})`);
    const wanted = option(args, '--image-ids') ?? '';
    const matches = (image: FakeImage) =>
      wanted.startsWith('imageTag=') ? image.tags.includes(wanted.slice('imageTag='.length)) : image.digest === wanted.slice('imageDigest='.length);
    if (command === 'describe-images') {
      const found = wanted ? images.filter(matches) : images.filter((image) => option(args, '--filter') !== 'tagStatus=TAGGED' || image.tags.length > 0);
      if (wanted && found.length === 0) throw new AwsCliError(`ImageNotFoundException: ${wanted}`);
      return { imageDetails: found.map((image) => ({ imageDigest: image.digest, imageTags: image.tags })) };
    }
    if (command === 'batch-get-image') {
      return { images: images.filter(matches).map((image) => ({ imageManifest: image.manifest, imageManifestMediaType: 'application/vnd.oci.image.manifest.v1+json' })) };
    }
    if (command === 'put-image') {
      const tag = option(args, '--image-tag') ?? '';
      const target = images.find((image) => image.digest === option(args, '--image-digest'));
      if (!target || target.manifest !== option(args, '--image-manifest')) throw new AwsCliError('InvalidParameterException: the manifest is not that digest’s');
      if (images.some((image) => image.tags.includes(tag))) throw new AwsCliError(`ImageTagAlreadyExistsException: ${tag}`);
      target.tags.push(tag);
      return { image: { imageId: { imageDigest: target.digest, imageTag: tag } } };
    }
    throw new AwsCliError(`fake aws: no command ${command}`);
  };
  return Object.assign(aws, { calls });
}
