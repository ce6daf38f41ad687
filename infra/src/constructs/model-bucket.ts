// The bucket the model files live in: a private bucket (encrypted, never public, TLS only, ACLs off),
// versioned so a bad upload can be rolled back. Old versions expire so storage stays bounded.
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
import { Construct } from 'constructs';
import { privateBucket } from './private-bucket';

export interface ModelBucketProps {
  readonly bucketName: string;
  readonly forceDestroy: boolean;
  readonly noncurrentVersionDays: number;
}

export class ModelBucket extends Construct {
  readonly bucketArn: string;

  constructor(scope: Construct, id: string, props: ModelBucketProps) {
    super(scope, id);
    const { bucket } = privateBucket(this, {
      bucketName: props.bucketName,
      forceDestroy: props.forceDestroy,
      lifecycleRule: {
        id: 'expire-old-versions',
        status: 'Enabled',
        filter: [{ prefix: '' }],
        noncurrentVersionExpiration: [{ noncurrentDays: props.noncurrentVersionDays }],
        abortIncompleteMultipartUpload: [{ daysAfterInitiation: 7 }],
      },
    });
    this.bucketArn = bucket.arn;
    new S3BucketVersioningA(this, 'versioning', { bucket: bucket.id, versioningConfiguration: { status: 'Enabled' } });
  }
}
