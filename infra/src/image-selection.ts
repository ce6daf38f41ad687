// Which image a diff or deploy of a service's stacks runs: the digest the caller gives (LAMBDA_IMAGE_DIGEST /
// SERVER_IMAGE_DIGEST: a new image, or the one a rollback goes back to), else the one deployed now, read from
// the registry's record (aws/deployed-images.ts). Never the newest image in the repository: an infra-only
// change would then silently undo a rollback.
import type { ServiceTarget } from '@onnx-serve/service-config';
import { DIGEST_VARIABLES, type PlannedStack } from './app';
import { readDeployHistory, tagDeployed, type AwsCli, type Repository } from './aws/deployed-images';
import { repositoryName } from './aws/names';
import type { InfraConfig } from './config/infra-config';

export interface TargetImage {
  readonly stack: string;
  readonly service: string;
  readonly target: ServiceTarget;
  readonly repository: Repository;
  /** Undefined when none was given and none was ever deployed with a record. */
  readonly digest: string | undefined;
  /** Where the digest came from: its variable, or the deploy tag that recorded it. */
  readonly source: string;
  /** Given by the caller: a deploy records it before it applies. */
  readonly given: boolean;
}

export const targetRepository = (config: InfraConfig, service: string, target: ServiceTarget): Repository => ({
  region: config.region,
  name: repositoryName(config.namePrefix, service, target),
});

/** The image of each service stack among `stacks`; the registry is read only for the targets given no digest. */
export function chooseImages(config: InfraConfig, stacks: readonly PlannedStack[], aws: AwsCli): TargetImage[] {
  return stacks.flatMap(({ id, service, target }): TargetImage[] => {
    if (!service || !target) return [];
    const repository = targetRepository(config, service.name, target);
    const base = { stack: id, service: service.name, target, repository };
    const given = service.digests[target];
    if (given) return [{ ...base, digest: given, source: DIGEST_VARIABLES[target], given: true }];
    const [deployed] = readDeployHistory(aws, repository);
    return [{ ...base, digest: deployed?.digest, source: deployed ? `deployed now, ${deployed.tag}` : 'none', given: false }];
  });
}

/** Why each target cannot be deployed: no digest given, and nothing deployed with a record to run again. */
export const missingImageProblems = (images: readonly TargetImage[]): string[] =>
  images.flatMap((image) =>
    image.digest
      ? []
      : [
          `${image.stack}: no image given and none deployed yet (no deployed-* tag in ${image.repository.name}): ` +
            `push the ${image.service} ${image.target} image and set ${DIGEST_VARIABLES[image.target]}`,
        ],
  );

/** The variables that hand the chosen digests to the cdktf app (main.ts reads them). */
export const digestEnv = (images: readonly TargetImage[]): Record<string, string> =>
  Object.fromEntries(images.flatMap((image) => (image.digest ? [[DIGEST_VARIABLES[image.target], image.digest]] : [])));

/**
 * Records each given image as deployed, before the apply: should the apply fail halfway, the record already
 * names the image it was meant to run, and the next deploy (a retry, or an infra-only change) runs that, not
 * the one before. A digest the repository does not hold fails here, before anything changes.
 */
export function recordGivenImages(aws: AwsCli, images: readonly TargetImage[], at: Date): string[] {
  return images.flatMap((image) => (image.given && image.digest ? [`${image.repository.name}: ${tagDeployed(aws, image.repository, image.digest, at)}`] : []));
}
