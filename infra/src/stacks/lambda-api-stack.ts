// A service's Lambda target: its Lambda image behind its own keyed REST API, sized and metered from its
// service.json. The image (by digest) and the model location arrive as plain props, so deploying this stack
// never touches the registry or models stacks, nor another service's.
import { TerraformOutput } from 'cdktf';
import type { Construct } from 'constructs';
import { imageUri, modelUri, permissionsBoundaryArn, type ImageRef, type ModelLocation } from '../aws/arns';
import { modelReadStatements } from '../aws/iam-policy';
import { serviceResourceName, serviceStackId } from '../aws/names';
import type { Architecture, WafConfig } from '../config/infra-config';
import { Alarms, type AlarmThresholds } from '../constructs/alarms';
import { ContainerFunction } from '../constructs/container-function';
import { KeyedRestApi, type Throttle } from '../constructs/keyed-rest-api';
import { WebAcl } from '../constructs/web-acl';
import { AppStack, type StackEnvironment } from './app-stack';

export interface LambdaApiStackProps {
  readonly env: StackEnvironment;
  readonly service: string;
  readonly image: ImageRef;
  /** The service's own prefix in the shared bucket. */
  readonly models: ModelLocation;
  readonly architecture: Architecture;
  readonly memoryMb: number;
  /** /tmp, where the function mirrors the service's models from S3. */
  readonly ephemeralStorageMb: number;
  readonly timeoutSeconds: number;
  readonly reservedConcurrency: number;
  readonly logLevel: string;
  readonly logRetentionDays: number;
  readonly stageName: string;
  readonly throttle: Throttle;
  readonly publicThrottle: Throttle;
  readonly quota: { readonly limit: number; readonly period: string };
  readonly alarms: AlarmThresholds & { readonly email: string | null };
  /** A web ACL in front of the stage, or none. */
  readonly waf: WafConfig | null;
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
      ephemeralStorageMb: props.ephemeralStorageMb,
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
    if (props.waf) new WebAcl(this, 'waf', { name: `${name}-lambda`, settings: props.waf, resourceArn: api.stageArn });
    const alarms = new Alarms(this, 'alarms', { name, email: props.alarms.email });
    const stage = { ApiName: name, Stage: props.stageName };
    const lambda = { FunctionName: name };
    alarms.add('5xx-rate', {
      description: `more than ${props.alarms.errorRatePercent}% of requests answered 5xx`,
      threshold: props.alarms.errorRatePercent / 100, // the average of 5XXError is the fraction of requests
      metric: { namespace: 'AWS/ApiGateway', name: '5XXError', dimensions: stage, statistic: 'Average' },
    });
    alarms.add('p99-latency', {
      description: `the 99th percentile of latency above ${props.alarms.p99LatencyMs} ms`,
      threshold: props.alarms.p99LatencyMs,
      metric: { namespace: 'AWS/ApiGateway', name: 'Latency', dimensions: stage, statistic: 'p99' },
    });
    alarms.add('lambda-errors', {
      description: 'the function failed (an uncaught error, a timeout or out of memory)',
      threshold: 0,
      metric: { namespace: 'AWS/Lambda', name: 'Errors', dimensions: lambda, statistic: 'Sum' },
    });
    alarms.add('lambda-throttles', {
      description: 'invocations refused at the reserved concurrency',
      threshold: 0,
      metric: { namespace: 'AWS/Lambda', name: 'Throttles', dimensions: lambda, statistic: 'Sum' },
    });
    new TerraformOutput(this, 'alarm_topic_arn', { value: alarms.topicArn });
    new TerraformOutput(this, 'invoke_url', { value: api.invokeUrl });
    // The id only: read the value with `aws apigateway get-api-key --include-value`, so it stays out of outputs.
    new TerraformOutput(this, 'api_key_id', { value: api.apiKeyId });
    new TerraformOutput(this, 'function_name', { value: fn.functionName });
  }
}
