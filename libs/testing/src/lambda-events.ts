// Real Lambda event shapes (as API Gateway and Function URLs send them, typed by @types/aws-lambda) for one
// HTTP request, with the path wrapped the way each front door wraps it.
import type { APIGatewayProxyEvent, APIGatewayProxyEventV2, Context, LambdaFunctionURLEvent } from 'aws-lambda';

export interface HttpRequest {
  method: 'GET' | 'POST';
  /** The app's route path, e.g. /v1/models/iris/predict. */
  path: string;
  /** Text, or bytes (a V2 binary tensor request: send it with base64). */
  body?: string | Uint8Array;
  /** Send the body base64-encoded, as API Gateway does for binary media types. */
  base64?: boolean;
  query?: Record<string, string>;
  headers?: Record<string, string>;
}

/** Any of the three events: what a Lambda handler behind these front doors receives. */
export type LambdaEvent = APIGatewayProxyEvent | APIGatewayProxyEventV2 | LambdaFunctionURLEvent;

const time = { requestTime: '22/Nov/2026:03:30:00 +0000', requestTimeEpoch: 1_795_318_200_000 };
const accountId = '123456789012';

function encodedBody(request: HttpRequest): { body: string | null; isBase64Encoded: boolean } {
  if (request.body === undefined) return { body: null, isBase64Encoded: false };
  if (!request.base64) return { body: String(request.body), isBase64Encoded: false };
  return { body: Buffer.from(request.body).toString('base64'), isBase64Encoded: true };
}

function requestHeaders(request: HttpRequest, host: string): Record<string, string> {
  return {
    accept: 'application/json',
    host,
    'user-agent': 'lambda-event-test',
    ...(request.body === undefined ? {} : { 'content-type': 'application/json' }),
    ...request.headers,
  };
}

/**
 * A REST API (payload v1) event for a `/{proxy+}` resource on `stage`. On the execute-api URL API Gateway
 * strips the stage from `path`; behind a custom domain, `path` keeps the base path mapping (`basePath`).
 */
export function restApiEvent(request: HttpRequest, options: { stage: string; basePath?: string }): APIGatewayProxyEvent {
  const host = options.basePath === undefined ? `abc123defg.execute-api.us-east-1.amazonaws.com` : 'api.example.com';
  const headers = requestHeaders(request, host);
  const path = options.basePath === undefined ? request.path : `/${options.basePath}${request.path}`;
  const query = request.query ?? null;
  return {
    resource: '/{proxy+}',
    path,
    httpMethod: request.method,
    headers,
    multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]])),
    queryStringParameters: query,
    multiValueQueryStringParameters: query && Object.fromEntries(Object.entries(query).map(([k, v]) => [k, [v]])),
    pathParameters: { proxy: request.path.slice(1) },
    stageVariables: null,
    requestContext: {
      accountId,
      apiId: 'abc123defg',
      authorizer: undefined,
      domainName: host,
      domainPrefix: host.split('.')[0],
      extendedRequestId: 'Ab1CdEfGhIjKlM=',
      httpMethod: request.method,
      identity: {
        accessKey: null,
        accountId: null,
        apiKey: 'key-value',
        apiKeyId: 'keyid123',
        caller: null,
        clientCert: null,
        cognitoAuthenticationProvider: null,
        cognitoAuthenticationType: null,
        cognitoIdentityId: null,
        cognitoIdentityPoolId: null,
        principalOrgId: null,
        sourceIp: '203.0.113.7',
        user: null,
        userAgent: 'lambda-event-test',
        userArn: null,
      },
      path: options.basePath === undefined ? `/${options.stage}${request.path}` : path,
      protocol: 'HTTP/1.1',
      requestId: 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef',
      resourceId: 'a1b2c3',
      resourcePath: '/{proxy+}',
      stage: options.stage,
      ...time,
    },
    ...encodedBody(request),
  };
}

function v2Event(request: HttpRequest, host: string, stage: string, routeKey: string): APIGatewayProxyEventV2 {
  const rawPath = stage === '$default' ? request.path : `/${stage}${request.path}`;
  const { body, isBase64Encoded } = encodedBody(request);
  return {
    version: '2.0',
    routeKey,
    rawPath,
    rawQueryString: new URLSearchParams(request.query).toString(),
    headers: requestHeaders(request, host),
    ...(request.query ? { queryStringParameters: request.query } : {}),
    ...(routeKey === '$default' ? {} : { pathParameters: { proxy: request.path.slice(1) } }),
    requestContext: {
      accountId,
      apiId: host.split('.')[0]!,
      domainName: host,
      domainPrefix: host.split('.')[0]!,
      http: { method: request.method, path: rawPath, protocol: 'HTTP/1.1', sourceIp: '203.0.113.7', userAgent: 'lambda-event-test' },
      requestId: 'JKJaXmPLvHcESHA=',
      routeKey,
      stage,
      time: time.requestTime,
      timeEpoch: time.requestTimeEpoch,
    },
    ...(body === null ? {} : { body }),
    isBase64Encoded,
  };
}

/** An HTTP API (payload v2) event for `ANY /{proxy+}`: a named stage prefixes rawPath. */
export function httpApiEvent(request: HttpRequest, options: { stage: string }): APIGatewayProxyEventV2 {
  return v2Event(request, 'r3pmxmplak.execute-api.us-east-1.amazonaws.com', options.stage, 'ANY /{proxy+}');
}

/** A Lambda Function URL event: payload v2 on the $default stage, no prefix. */
export function functionUrlEvent(request: HttpRequest): LambdaFunctionURLEvent {
  return v2Event(request, 'a7pmxmplak3nl4ns6i5kilu4oa0ncuqk.lambda-url.us-east-1.on.aws', '$default', '$default');
}

export const lambdaContext: Context = {
  callbackWaitsForEmptyEventLoop: true,
  functionName: 'onnx-serve-dev-api',
  functionVersion: '$LATEST',
  invokedFunctionArn: `arn:aws:lambda:us-east-1:${accountId}:function:onnx-serve-dev-api`,
  memoryLimitInMB: '2048',
  awsRequestId: '8476a536-e9f4-11e8-9739-2dfe598c3fcd',
  logGroupName: '/aws/lambda/onnx-serve-dev-api',
  logStreamName: '2026/11/22/[$LATEST]abcdef0123456789',
  getRemainingTimeInMillis: () => 29_000,
  done: () => undefined,
  fail: () => undefined,
  succeed: () => undefined,
};
