// A bucket nobody outside the account reads: SSE-S3 encrypted, all public access blocked, ACLs off, reachable
// only over TLS, with one lifecycle rule. Created in the caller's scope (ids bucket, encryption, public-access,
// ownership, lifecycle, tls-only), so resource addresses stay those of the construct that owns the bucket.
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketLifecycleConfiguration, type S3BucketLifecycleConfigurationRule } from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration';
import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import type { Construct } from 'constructs';
import { policyDocument, type PolicyStatement } from '../aws/iam-policy';

export interface PrivateBucketProps {
  readonly bucketName: string;
  readonly forceDestroy: boolean;
  readonly lifecycleRule: S3BucketLifecycleConfigurationRule;
  /** Who else may write or read, beside the TLS-only denial; given the bucket's ARN. */
  readonly statements?: (bucketArn: string) => PolicyStatement[];
}

/** The bucket, and its policy (what a writer such as a load balancer must wait for). */
export function privateBucket(scope: Construct, props: PrivateBucketProps): { bucket: S3Bucket; policy: S3BucketPolicy } {
  const bucket = new S3Bucket(scope, 'bucket', { bucket: props.bucketName, forceDestroy: props.forceDestroy });
  const target = { bucket: bucket.id };
  new S3BucketServerSideEncryptionConfigurationA(scope, 'encryption', {
    ...target,
    rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'AES256' } }],
  });
  const publicAccess = new S3BucketPublicAccessBlock(scope, 'public-access', {
    ...target,
    blockPublicAcls: true,
    blockPublicPolicy: true,
    ignorePublicAcls: true,
    restrictPublicBuckets: true,
  });
  new S3BucketOwnershipControls(scope, 'ownership', { ...target, rule: { objectOwnership: 'BucketOwnerEnforced' } });
  new S3BucketLifecycleConfiguration(scope, 'lifecycle', { ...target, rule: [props.lifecycleRule] });
  const policy = new S3BucketPolicy(scope, 'tls-only', {
    ...target,
    policy: policyDocument([
      {
        Sid: 'DenyInsecureTransport',
        Effect: 'Deny',
        Principal: '*',
        Action: 's3:*',
        Resource: [bucket.arn, `${bucket.arn}/*`],
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      },
      ...(props.statements?.(bucket.arn) ?? []),
    ]),
    // S3 rejects a bucket policy while the public access block is still being applied.
    dependsOn: [publicAccess],
  });
  return { bucket, policy };
}
