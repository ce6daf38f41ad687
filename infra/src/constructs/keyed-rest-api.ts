// A REST API proxying every path to one Lambda function. Every method needs an API key except the public
// probes; keys are metered by one usage plan (throttle and quota), the whole stage is throttled too, the
// probes tighter. The stage writes JSON access logs, error logs and per-method metrics.
import { ApiGatewayApiKey } from '@cdktf/provider-aws/lib/api-gateway-api-key';
import { ApiGatewayDeployment } from '@cdktf/provider-aws/lib/api-gateway-deployment';
import { ApiGatewayIntegration } from '@cdktf/provider-aws/lib/api-gateway-integration';
import { ApiGatewayMethod } from '@cdktf/provider-aws/lib/api-gateway-method';
import { ApiGatewayMethodSettings } from '@cdktf/provider-aws/lib/api-gateway-method-settings';
import { ApiGatewayResource } from '@cdktf/provider-aws/lib/api-gateway-resource';
import { ApiGatewayRestApi } from '@cdktf/provider-aws/lib/api-gateway-rest-api';
import { ApiGatewayStage } from '@cdktf/provider-aws/lib/api-gateway-stage';
import { ApiGatewayUsagePlan } from '@cdktf/provider-aws/lib/api-gateway-usage-plan';
import { ApiGatewayUsagePlanKey } from '@cdktf/provider-aws/lib/api-gateway-usage-plan-key';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { LambdaPermission } from '@cdktf/provider-aws/lib/lambda-permission';
import { Fn, ref } from 'cdktf';
import { Construct } from 'constructs';

export interface Throttle {
  readonly rateLimit: number;
  readonly burstLimit: number;
}

export interface KeyedRestApiProps {
  readonly name: string;
  readonly handler: { readonly functionName: string; readonly invokeArn: string };
  /** Top-level paths answered by GET without a key (liveness probes). */
  readonly publicGetPaths: readonly string[];
  readonly stageName: string;
  /** The usage plan's per-key throttle, also the stage's: no traffic at all beyond it. */
  readonly throttle: Throttle;
  /** The throttle of each public GET path, which no key meters. */
  readonly publicThrottle: Throttle;
  readonly quota: { readonly limit: number; readonly period: string };
  readonly logRetentionDays: number;
}

const ACCESS_LOG_FORMAT = JSON.stringify({
  requestId: '$context.requestId',
  ip: '$context.identity.sourceIp',
  apiKeyId: '$context.identity.apiKeyId',
  requestTime: '$context.requestTime',
  method: '$context.httpMethod',
  path: '$context.path',
  status: '$context.status',
  responseLength: '$context.responseLength',
  latencyMs: '$context.responseLatency',
  integrationError: '$context.integration.error',
});

export class KeyedRestApi extends Construct {
  readonly invokeUrl: string;
  readonly apiKeyId: string;
  /** What a web ACL is associated with. */
  readonly stageArn: string;

  constructor(scope: Construct, id: string, props: KeyedRestApiProps) {
    super(scope, id);
    const api = new ApiGatewayRestApi(this, 'api', {
      name: props.name,
      endpointConfiguration: { types: ['REGIONAL'] },
      // Without binary media types a proxy integration hands Lambda a binary body as mangled UTF-8 text and returns
      // a base64 answer as text. '*/*', because API Gateway decides a response by the caller's first Accept type,
      // which clients of the binary tensor extension do not set to application/octet-stream: every body then
      // reaches the function base64-encoded (the handler decodes it), and an answer the function base64-encoded
      // leaves as bytes.
      binaryMediaTypes: ['*/*'],
    });
    const restApiId = api.id;

    const route = (routeId: string, resourceId: string, httpMethod: string, apiKeyRequired: boolean) => {
      const method = new ApiGatewayMethod(this, `${routeId}-method`, {
        restApiId,
        resourceId,
        httpMethod,
        authorization: 'NONE',
        apiKeyRequired,
      });
      const integration = new ApiGatewayIntegration(this, `${routeId}-integration`, {
        restApiId,
        resourceId,
        httpMethod: method.httpMethod,
        type: 'AWS_PROXY',
        integrationHttpMethod: 'POST',
        uri: props.handler.invokeArn,
      });
      return [method, integration];
    };

    const publicRoutes = props.publicGetPaths.flatMap((path) => {
      const resource = new ApiGatewayResource(this, `${path}-resource`, { restApiId, parentId: api.rootResourceId, pathPart: path });
      return [resource, ...route(path, resource.id, 'GET', false)];
    });
    const proxy = new ApiGatewayResource(this, 'proxy-resource', { restApiId, parentId: api.rootResourceId, pathPart: '{proxy+}' });
    const parts = [...publicRoutes, proxy, ...route('proxy', proxy.id, 'ANY', true)];

    new LambdaPermission(this, 'invoke', {
      action: 'lambda:InvokeFunction',
      functionName: props.handler.functionName,
      principal: 'apigateway.amazonaws.com',
      sourceArn: `${api.executionArn}/${props.stageName}/*`,
    });

    const deployment = new ApiGatewayDeployment(this, 'deployment', {
      restApiId,
      // A new deployment whenever anything defining the API changes, in place too (api_key_required flipped):
      // the hash is over the whole resources, not their ids. The stage then moves to it.
      triggers: { redeployment: Fn.sha1(Fn.jsonencode(parts.map((part) => ref(part.fqn)))) },
      lifecycle: { createBeforeDestroy: true },
      dependsOn: parts,
    });

    const accessLogs = new CloudwatchLogGroup(this, 'access-logs', {
      name: `/aws/apigateway/${props.name}/access`,
      retentionInDays: props.logRetentionDays,
    });
    const stage = new ApiGatewayStage(this, 'stage', {
      restApiId,
      deploymentId: deployment.id,
      stageName: props.stageName,
      accessLogSettings: { destinationArn: accessLogs.arn, format: ACCESS_LOG_FORMAT },
    });

    const settings = (settingsId: string, methodPath: string, throttle: Throttle) =>
      new ApiGatewayMethodSettings(this, settingsId, {
        restApiId,
        stageName: stage.stageName,
        methodPath,
        settings: {
          metricsEnabled: true,
          loggingLevel: 'ERROR',
          dataTraceEnabled: false,
          throttlingRateLimit: throttle.rateLimit,
          throttlingBurstLimit: throttle.burstLimit,
        },
      });
    settings('stage-settings', '*/*', props.throttle);
    for (const path of props.publicGetPaths) settings(`${path}-settings`, `${path}/GET`, props.publicThrottle);

    const plan = new ApiGatewayUsagePlan(this, 'usage-plan', {
      name: `${props.name}-default`,
      apiStages: [{ apiId: restApiId, stage: stage.stageName }],
      throttleSettings: { rateLimit: props.throttle.rateLimit, burstLimit: props.throttle.burstLimit },
      quotaSettings: { limit: props.quota.limit, period: props.quota.period },
    });
    const key = new ApiGatewayApiKey(this, 'key', { name: `${props.name}-default`, enabled: true });
    new ApiGatewayUsagePlanKey(this, 'usage-plan-key', { keyId: key.id, keyType: 'API_KEY', usagePlanId: plan.id });

    this.invokeUrl = stage.invokeUrl;
    this.stageArn = stage.arn;
    this.apiKeyId = key.id;
  }
}
