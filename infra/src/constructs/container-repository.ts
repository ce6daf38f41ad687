// One ECR repository: immutable tags (a digest deployed is the digest built), scan on push, KMS encryption,
// and lifecycle rules so storage stays bounded without expiring what runs or what a rollback needs.
import { EcrLifecyclePolicy } from '@cdktf/provider-aws/lib/ecr-lifecycle-policy';
import { EcrRepository } from '@cdktf/provider-aws/lib/ecr-repository';
import { EcrRepositoryPolicy } from '@cdktf/provider-aws/lib/ecr-repository-policy';
import { Construct } from 'constructs';
import type { AccountRegion } from '../aws/arns';
import { policyDocument } from '../aws/iam-policy';
import { DEPLOYED_TAG_PREFIX } from '../aws/names';

export interface ContainerRepositoryProps {
  readonly name: string;
  readonly keepLastImages: number;
  /** Images a deploy tagged `deployed-…`: the one running and the ones before it. */
  readonly keepDeployedImages: number;
  readonly forceDelete: boolean;
  /** Let this Lambda function pull the image (container-image functions need it); no other function may. */
  readonly lambdaPullFrom?: AccountRegion & { readonly functionName: string };
}

export class ContainerRepository extends Construct {
  readonly repositoryUrl: string;

  constructor(scope: Construct, id: string, props: ContainerRepositoryProps) {
    super(scope, id);
    const repository = new EcrRepository(this, 'repository', {
      name: props.name,
      imageTagMutability: 'IMMUTABLE',
      imageScanningConfiguration: { scanOnPush: true },
      encryptionConfiguration: [{ encryptionType: 'KMS' }],
      forceDelete: props.forceDelete,
    });
    this.repositoryUrl = repository.repositoryUrl;

    new EcrLifecyclePolicy(this, 'lifecycle', {
      repository: repository.name,
      policy: JSON.stringify({
        // An image the first rule selects is never expired by the second, which still counts it: deployed images
        // are kept by their own count, everything else by keepLastImages.
        rules: [
          {
            rulePriority: 1,
            description: `keep the last ${props.keepDeployedImages} deployed images`,
            selection: {
              tagStatus: 'tagged',
              tagPatternList: [`${DEPLOYED_TAG_PREFIX}*`],
              countType: 'imageCountMoreThan',
              countNumber: props.keepDeployedImages,
            },
            action: { type: 'expire' },
          },
          {
            rulePriority: 2,
            description: `keep the last ${props.keepLastImages} images`,
            selection: { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: props.keepLastImages },
            action: { type: 'expire' },
          },
        ],
      }),
    });

    if (props.lambdaPullFrom) {
      const { accountId, region, functionName } = props.lambdaPullFrom;
      new EcrRepositoryPolicy(this, 'lambda-pull', {
        repository: repository.name,
        policy: policyDocument([
          {
            Sid: 'LambdaPull',
            Effect: 'Allow',
            Principal: { Service: 'lambda.amazonaws.com' },
            Action: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'],
            Condition: { StringLike: { 'aws:sourceArn': `arn:aws:lambda:${region}:${accountId}:function:${functionName}` } },
          },
        ]),
      });
    }
  }
}
