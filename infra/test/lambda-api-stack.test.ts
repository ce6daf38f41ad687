import { describe, expect, it } from 'vitest';
import { lambdaApiProps } from '../src/app';
import { LambdaApiStack } from '../src/stacks/lambda-api-stack';
import { deploymentOf, FRAUD, LAMBDA_DIGEST, loadConfig, resources, statements, synthStack, theResource } from './synthesized';

const config = loadConfig('dev');
const json = synthStack((app) => new LambdaApiStack(app, lambdaApiProps(config, deploymentOf(FRAUD, 'dev'))));
const prod = synthStack((app) => new LambdaApiStack(app, lambdaApiProps(loadConfig('prod'), deploymentOf(FRAUD, 'prod'))));

describe('<service>-lambda-api stack: the function', () => {
  const fn = theResource(json, 'aws_lambda_function');

  it('runs the service’s own Lambda image by digest, sized from its service.json, reading its own model prefix', () => {
    expect(fn).toMatchObject({
      function_name: 'onnx-serve-dev-fraud',
      package_type: 'Image',
      image_uri: `123456789012.dkr.ecr.us-east-1.amazonaws.com/onnx-serve-dev-fraud-lambda@${LAMBDA_DIGEST}`,
      architectures: ['x86_64'],
      memory_size: 1536,
      timeout: 29,
      reserved_concurrent_executions: 3,
      environment: { variables: { MODEL_S3_URI: 's3://onnx-serve-test-models-123456789012/models/fraud/', LOG_LEVEL: 'info' } },
    });
    expect(theResource(prod, 'aws_lambda_function')).toMatchObject({ memory_size: 4096, reserved_concurrent_executions: 40 });
    expect(fn).not.toHaveProperty('handler');
    expect(fn).not.toHaveProperty('runtime');
  });

  it('sizes /tmp, where it mirrors the models, from the service’s store, and refuses a store no Lambda can hold', () => {
    // 1500 MB of models and 256 MB of headroom.
    expect(fn['ephemeral_storage']).toEqual({ size: 1756 });
    expect(lambdaApiProps(config, { ...deploymentOf(FRAUD, 'dev'), modelBytes: 0 }).ephemeralStorageMb).toBe(512);
    expect(() => lambdaApiProps(config, { ...deploymentOf(FRAUD, 'dev'), modelBytes: 10_000 * 1024 * 1024 })).toThrow(
      "services/fraud/models holds 10000 MB: with 256 MB of headroom it cannot fit Lambda's /tmp (at most 10240 MB)",
    );
  });

  it('logs to its own group with retention, created before the function', () => {
    const groups = resources(json, 'aws_cloudwatch_log_group');
    expect(groups).toContainEqual({ name: '/aws/lambda/onnx-serve-dev-fraud', retention_in_days: 14 });
    expect(fn['depends_on']).toEqual(expect.arrayContaining([expect.stringMatching(/^aws_cloudwatch_log_group\.function_logs/)]));
  });

  it('has a role that may write its own log group and read only the service’s model prefix', () => {
    const policy = resources(json, 'aws_iam_role_policy').find((p) => String(p['role']).includes('function_role'));
    expect(statements(policy!)).toEqual([
      {
        Sid: 'WriteLogs',
        Effect: 'Allow',
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Resource: expect.stringMatching(/^\$\{aws_cloudwatch_log_group\.function_logs_\w+\.arn}:\*$/),
      },
      { Sid: 'ReadModels', Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::onnx-serve-test-models-123456789012/models/fraud/*' },
      {
        Sid: 'ListModels',
        Effect: 'Allow',
        Action: 's3:ListBucket',
        Resource: 'arn:aws:s3:::onnx-serve-test-models-123456789012',
        Condition: { StringLike: { 's3:prefix': ['models/fraud/*'] } },
      },
    ]);
  });
});

describe('<service>-lambda-api stack: its own REST API', () => {
  const methods = resources(json, 'aws_api_gateway_method');

  it('is named after the service and requires an API key on every method but GET /health', () => {
    expect(theResource(json, 'aws_api_gateway_rest_api')['name']).toBe('onnx-serve-dev-fraud');
    const byPath = Object.fromEntries(resources(json, 'aws_api_gateway_resource').map((r) => [String(r['path_part']), r]));
    expect(Object.keys(byPath).sort()).toEqual(['health', '{proxy+}']);
    const open = methods.filter((m) => m['api_key_required'] !== true);
    expect(open).toEqual([expect.objectContaining({ http_method: 'GET', resource_id: expect.stringContaining('health-resource') })]);
    expect(methods).toContainEqual(expect.objectContaining({ http_method: 'ANY', api_key_required: true, resource_id: expect.stringContaining('proxy-resource') }));
  });

  it('passes bodies through as bytes both ways (binary tensors), whatever Accept the caller sends', () => {
    expect(theResource(json, 'aws_api_gateway_rest_api')['binary_media_types']).toEqual(['*/*']);
  });

  it('proxies every method to the function', () => {
    const integrations = resources(json, 'aws_api_gateway_integration');
    expect(integrations).toHaveLength(methods.length);
    for (const integration of integrations) {
      expect(integration).toMatchObject({ type: 'AWS_PROXY', integration_http_method: 'POST', uri: expect.stringContaining('aws_lambda_function.') });
    }
    expect(theResource(json, 'aws_lambda_permission')).toMatchObject({
      principal: 'apigateway.amazonaws.com',
      source_arn: expect.stringMatching(/execution_arn}\/v1\/\*$/),
    });
  });

  it('meters keys with one usage plan: throttle and quota from the service’s service.json', () => {
    expect(theResource(json, 'aws_api_gateway_usage_plan')).toMatchObject({
      name: 'onnx-serve-dev-fraud-default',
      throttle_settings: { rate_limit: 7, burst_limit: 14 },
      quota_settings: { limit: 1234, period: 'DAY' },
      api_stages: [{ stage: expect.stringContaining('aws_api_gateway_stage.') }],
    });
    expect(theResource(prod, 'aws_api_gateway_usage_plan')).toMatchObject({
      throttle_settings: { rate_limit: 70, burst_limit: 140 },
      quota_settings: { limit: 99_000, period: 'DAY' },
    });
    expect(theResource(json, 'aws_api_gateway_usage_plan_key')).toMatchObject({ key_type: 'API_KEY' });
    expect(theResource(json, 'aws_api_gateway_api_key')).toEqual({ name: 'onnx-serve-dev-fraud-default', enabled: true });
  });

  it('throttles the whole stage at the usage plan’s rate, the unkeyed GET /health tighter, with metrics and error logs', () => {
    const settings = Object.fromEntries(resources(json, 'aws_api_gateway_method_settings').map((r) => [String(r['method_path']), r]));
    const logged = { metrics_enabled: true, logging_level: 'ERROR', data_trace_enabled: false };
    expect(settings).toEqual({
      '*/*': expect.objectContaining({
        stage_name: expect.stringContaining('aws_api_gateway_stage.'),
        settings: { ...logged, throttling_rate_limit: 7, throttling_burst_limit: 14 },
      }),
      'health/GET': expect.objectContaining({ settings: { ...logged, throttling_rate_limit: 2, throttling_burst_limit: 5 } }),
    });
    const prodSettings = resources(prod, 'aws_api_gateway_method_settings').map((r) => [r['method_path'], (r['settings'] as Record<string, unknown>)['throttling_rate_limit']]);
    expect(Object.fromEntries(prodSettings)).toEqual({ '*/*': 70, 'health/GET': 10 });
  });

  it('redeploys the stage when anything defining the API changes, in place too: the trigger hashes whole resources', () => {
    const deployment = theResource(json, 'aws_api_gateway_deployment');
    const definition = ['aws_api_gateway_resource', 'aws_api_gateway_method', 'aws_api_gateway_integration'].flatMap((type) =>
      Object.keys(json.resource?.[type] ?? {}).map((name) => `${type}.${name}`),
    );
    expect(definition).toHaveLength(6);
    const trigger = String((deployment['triggers'] as Record<string, string>)['redeployment']);
    const hashed = /^\$\{sha1\(jsonencode\(\[(.*)\]\)\)}$/.exec(trigger)?.[1]?.split(', ');
    expect(hashed?.sort()).toEqual(definition.sort());
    expect(deployment['lifecycle']).toEqual({ create_before_destroy: true });
  });

  it('writes JSON access logs from the stage to a group with retention', () => {
    const stage = theResource(json, 'aws_api_gateway_stage');
    expect(stage).toMatchObject({ stage_name: 'v1', access_log_settings: { destination_arn: expect.stringContaining('access-logs') } });
    const format = JSON.parse(String((stage['access_log_settings'] as Record<string, string>)['format'])) as Record<string, string>;
    expect(format).toMatchObject({ requestId: '$context.requestId', status: '$context.status', apiKeyId: '$context.identity.apiKeyId' });
    expect(resources(json, 'aws_cloudwatch_log_group')).toContainEqual({ name: '/aws/apigateway/onnx-serve-dev-fraud/access', retention_in_days: 14 });
  });

  it('leaves the account’s one API Gateway CloudWatch role to the shared api-gateway-account stack', () => {
    expect(resources(json, 'aws_api_gateway_account')).toEqual([]);
    expect(theResource(json, 'aws_api_gateway_stage')).not.toHaveProperty('depends_on');
  });

  it('outputs the invoke URL and the key id, never the key value', () => {
    expect(json.output).toEqual({
      invoke_url: { value: expect.stringMatching(/aws_api_gateway_stage\.\w+\.invoke_url/) },
      api_key_id: { value: expect.stringMatching(/aws_api_gateway_api_key\.\w+\.id}$/) },
      function_name: { value: expect.any(String) },
      alarm_topic_arn: { value: expect.stringMatching(/aws_sns_topic\.\w+\.arn}$/) },
    });
  });
});

describe('<service>-lambda-api stack: its alarms', () => {
  const alarms = Object.fromEntries(resources(json, 'aws_cloudwatch_metric_alarm').map((a) => [String(a['alarm_name']), a]));
  const notifying = {
    comparison_operator: 'GreaterThanThreshold',
    evaluation_periods: 5,
    datapoints_to_alarm: 3,
    treat_missing_data: 'notBreaching',
    alarm_actions: [expect.stringMatching(/aws_sns_topic\.alarms_topic_\w+\.arn/)],
    ok_actions: [expect.stringMatching(/aws_sns_topic\.alarms_topic_\w+\.arn/)],
  };
  const stage = { ApiName: 'onnx-serve-dev-fraud', Stage: 'v1' };

  it('alarm on the 5xx rate, p99 latency, Lambda errors and throttles, to the service’s topic', () => {
    expect(alarms).toEqual({
      'onnx-serve-dev-fraud-5xx-rate': expect.objectContaining({ ...notifying, namespace: 'AWS/ApiGateway', metric_name: '5XXError', dimensions: stage, statistic: 'Average', threshold: 0.05 }),
      'onnx-serve-dev-fraud-p99-latency': expect.objectContaining({ ...notifying, metric_name: 'Latency', dimensions: stage, extended_statistic: 'p99', threshold: 5000 }),
      'onnx-serve-dev-fraud-lambda-errors': expect.objectContaining({ ...notifying, namespace: 'AWS/Lambda', metric_name: 'Errors', dimensions: { FunctionName: 'onnx-serve-dev-fraud' }, statistic: 'Sum', threshold: 0 }),
      'onnx-serve-dev-fraud-lambda-throttles': expect.objectContaining({ ...notifying, metric_name: 'Throttles', statistic: 'Sum', threshold: 0 }),
    });
    expect(theResource(json, 'aws_sns_topic')).toEqual({ name: 'onnx-serve-dev-fraud-alarms' });
    expect(resources(prod, 'aws_cloudwatch_metric_alarm').find((a) => a['metric_name'] === '5XXError')).toMatchObject({ threshold: 0.01 });
  });

  it('mail the topic only when the config names an address', () => {
    expect(resources(json, 'aws_sns_topic_subscription')).toEqual([]);
    const mailed = synthStack((app) => new LambdaApiStack(app, lambdaApiProps(loadConfig('dev', { INFRA_ALARM_EMAIL: 'oncall@example.com' }), deploymentOf(FRAUD, 'dev'))));
    expect(theResource(mailed, 'aws_sns_topic_subscription')).toMatchObject({ protocol: 'email', endpoint: 'oncall@example.com' });
  });
});

describe('<service>-lambda-api stack: its own state', () => {
  it('keeps state under a key of its service and target, per environment', () => {
    expect(String(json.terraform?.backend?.['local']?.['path'])).toMatch(/\/infra\/state\/dev\/services\/fraud\/lambda-api\.tfstate$/);
    expect(prod.terraform?.backend?.['s3']).toEqual({
      bucket: 'test-tfstate-123456789012',
      region: 'us-east-1',
      key: 'onnx-serve/prod/services/fraud/lambda-api.tfstate',
      encrypt: true,
      use_lockfile: true,
    });
  });

  it('tags every resource with its service and stack', () => {
    expect(json.provider?.['aws']?.[0]?.['default_tags']).toEqual([
      { tags: { Project: 'onnx-serve', Owner: 'platform', Service: 'fraud', Environment: 'dev', Stack: 'fraud-lambda-api', ManagedBy: 'onnx-serve' } },
    ]);
  });
});
