// The model store, shared by the services: one bucket, one prefix per service (<prefix><service>/). Its
// name and prefix reach the API stacks through config, never through state.
import { TerraformOutput } from 'cdktf';
import type { Construct } from 'constructs';
import { modelUri, type ModelLocation } from '../aws/arns';
import { ModelBucket } from '../constructs/model-bucket';
import { AppStack, type StackEnvironment } from './app-stack';

export interface ModelsStackProps {
  readonly env: StackEnvironment;
  /** The bucket and the prefix the services' prefixes live under. */
  readonly location: ModelLocation;
  readonly forceDestroy: boolean;
  readonly noncurrentVersionDays: number;
}

export class ModelsStack extends AppStack {
  constructor(scope: Construct, props: ModelsStackProps) {
    super(scope, { id: 'models', stateName: 'models' }, props.env);
    const bucket = new ModelBucket(this, 'models', {
      bucketName: props.location.bucketName,
      forceDestroy: props.forceDestroy,
      noncurrentVersionDays: props.noncurrentVersionDays,
    });
    new TerraformOutput(this, 'bucket_arn', { value: bucket.bucketArn });
    new TerraformOutput(this, 'model_uri', { value: modelUri(props.location) });
  }
}
