// ARNs and URIs built from plain config values: the way one stack names another's resources without
// reading its state. Only the standard partition is supported.
import { PERMISSIONS_BOUNDARY_NAME } from './names';

export interface AccountRegion {
  readonly accountId: string;
  readonly region: string;
}

/** Where the model files live: `s3://<bucket>/<prefix>`, prefix ending in "/". */
export interface ModelLocation {
  readonly bucketName: string;
  readonly prefix: string;
}

/** An image pinned by digest in this account's ECR registry. */
export interface ImageRef extends AccountRegion {
  readonly repository: string;
  readonly digest: string;
}

export const modelUri = ({ bucketName, prefix }: ModelLocation): string => `s3://${bucketName}/${prefix}`;
export const bucketArn = (bucketName: string): string => `arn:aws:s3:::${bucketName}`;
export const modelObjectsArn = ({ bucketName, prefix }: ModelLocation): string => `${bucketArn(bucketName)}/${prefix}*`;

export const registryHost = ({ accountId, region }: AccountRegion): string => `${accountId}.dkr.ecr.${region}.amazonaws.com`;
export const imageUri = (image: ImageRef): string => `${registryHost(image)}/${image.repository}@${image.digest}`;
export const repositoryArn = (image: ImageRef): string =>
  `arn:aws:ecr:${image.region}:${image.accountId}:repository/${image.repository}`;

export const ssmParameterArn = ({ accountId, region }: AccountRegion, name: string): string =>
  `arn:aws:ssm:${region}:${accountId}:parameter${name}`;
export const logGroupsArn = ({ accountId, region }: AccountRegion): string => `arn:aws:logs:${region}:${accountId}:log-group:*`;
export const permissionsBoundaryArn = ({ accountId }: Pick<AccountRegion, 'accountId'>): string =>
  `arn:aws:iam::${accountId}:policy/${PERMISSIONS_BOUNDARY_NAME}`;
