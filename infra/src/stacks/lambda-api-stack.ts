// The Lambda target: the Lambda image behind a keyed REST API. The image (by digest) and the model location
// arrive as plain props, so deploying this stack never touches the registry or models stacks.
import { TerraformOutput } from 'cdktf';
import type { Construct } from 'constructs';
import { imageUri, modelUri, type ImageRef, type ModelLocation } from '../aws/arns';
import { modelReadStatements } from '../aws/iam-policy';
import type { Architecture } from '../config/infra-config';
import { ApiGatewayLogRole } from '../constructs/api-gateway-log-role';
import { ContainerFunction } from '../constructs/container-function';
import { KeyedRestApi } from '../constructs/keyed-rest-api';
import { AppStack, type StackEnvironment } from './app-stack';

export interface LambdaApiStackProps {
  readonly env: StackEnvironment;
  readonly image: ImageRef;
  readonly models: ModelLocation;
  readonly architecture: Architecture;
  readonly memoryMb: number;
  readonly timeoutSeconds: number;
  readonly reservedConcurrency: number;
  readonly logLevel: string;
  readonly logRetentionDays: number;
  readonly stageName: string;
  readonly throttle: { readonly rateLimit: number; readonly burstLimit: number };
  readonly quota: { readonly limit: number; readonly period: string };
  readonly manageAccountLogRole: boolean;
}

export class LambdaApiStack extends AppStack {
  constructor(scope: Construct, props: LambdaApiStackProps) {
    super(scope, 'lambda-api', props.env);
    const name = `${props.env.namePrefix}-api`;
    const fn = new ContainerFunction(this, 'function', {
      functionName: name,
      imageUri: imageUri(props.image),
      architecture: props.architecture,
      memoryMb: props.memoryMb,
      timeoutSeconds: props.timeoutSeconds,
      reservedConcurrency: props.reservedConcurrency,
      environment: { MODEL_S3_URI: modelUri(props.models), LOG_LEVEL: props.logLevel },
      logRetentionDays: props.logRetentionDays,
      statements: modelReadStatements(props.models),
    });
    const logRole = props.manageAccountLogRole
      ? new ApiGatewayLogRole(this, 'account-log-role', { roleName: `${props.env.namePrefix}-apigw-logs`, target: props.env })
      : undefined;
    const api = new KeyedRestApi(this, 'api', {
      name,
      handler: fn,
      publicGetPaths: ['health'],
      stageName: props.stageName,
      throttle: props.throttle,
      quota: props.quota,
      logRetentionDays: props.logRetentionDays,
      stageDependsOn: logRole ? [logRole.account] : undefined,
    });
    new TerraformOutput(this, 'invoke_url', { value: api.invokeUrl });
    // The id only: read the value with `aws apigateway get-api-key --include-value`, so it stays out of outputs.
    new TerraformOutput(this, 'api_key_id', { value: api.apiKeyId });
    new TerraformOutput(this, 'function_name', { value: fn.functionName });
  }
}
