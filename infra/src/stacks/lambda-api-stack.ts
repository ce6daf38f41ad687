// A service's Lambda target: its Lambda image behind its own keyed REST API, sized and metered from its
// service.json. The image (by digest) and the model location arrive as plain props, so deploying this stack
// never touches the registry or models stacks, nor another service's.
import { TerraformOutput } from 'cdktf';
import type { Construct } from 'constructs';
import { imageUri, modelUri, permissionsBoundaryArn, type ImageRef, type ModelLocation } from '../aws/arns';
import { modelReadStatements } from '../aws/iam-policy';
import { serviceResourceName, serviceStackId } from '../aws/names';
import type { Architecture } from '../config/infra-config';
import { ContainerFunction } from '../constructs/container-function';
import { KeyedRestApi, type Throttle } from '../constructs/keyed-rest-api';
import { AppStack, type StackEnvironment } from './app-stack';

export interface LambdaApiStackProps {
  readonly env: StackEnvironment;
  readonly service: string;
  readonly image: ImageRef;
  /** The service's own prefix in the shared bucket. */
  readonly models: ModelLocation;
  readonly architecture: Architecture;
  readonly memoryMb: number;
  readonly timeoutSeconds: number;
  readonly reservedConcurrency: number;
  readonly logLevel: string;
  readonly logRetentionDays: number;
  readonly stageName: string;
  readonly throttle: Throttle;
  readonly publicThrottle: Throttle;
  readonly quota: { readonly limit: number; readonly period: string };
}

export class LambdaApiStack extends AppStack {
  constructor(scope: Construct, props: LambdaApiStackProps) {
    const { service } = props;
    super(scope, { id: serviceStackId(service, 'lambda'), stateName: `services/${service}/lambda-api`, service }, props.env);
    const name = serviceResourceName(props.env.namePrefix, service);
    const fn = new ContainerFunction(this, 'function', {
      functionName: name,
      imageUri: imageUri(props.image),
      architecture: props.architecture,
      memoryMb: props.memoryMb,
      timeoutSeconds: props.timeoutSeconds,
      reservedConcurrency: props.reservedConcurrency,
      environment: { MODEL_S3_URI: modelUri(props.models), LOG_LEVEL: props.logLevel },
      logRetentionDays: props.logRetentionDays,
      permissionsBoundary: permissionsBoundaryArn(props.env),
      statements: modelReadStatements(props.models),
    });
    // The stage's access logs need the account's CloudWatch role: the api-gateway-account stack sets it.
    const api = new KeyedRestApi(this, 'api', {
      name,
      handler: fn,
      publicGetPaths: ['health'],
      stageName: props.stageName,
      throttle: props.throttle,
      publicThrottle: props.publicThrottle,
      quota: props.quota,
      logRetentionDays: props.logRetentionDays,
    });
    new TerraformOutput(this, 'invoke_url', { value: api.invokeUrl });
    // The id only: read the value with `aws apigateway get-api-key --include-value`, so it stays out of outputs.
    new TerraformOutput(this, 'api_key_id', { value: api.apiKeyId });
    new TerraformOutput(this, 'function_name', { value: fn.functionName });
  }
}
