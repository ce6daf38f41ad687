// One error hierarchy for the v1 API, turned into one JSON envelope by the app's single onError.
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { HTTPException } from 'hono/http-exception';
import type { ErrorBody } from '@onnx-serve/api-contract';
import { RequestValidationError, type FieldIssue } from '@onnx-serve/feature-spec';

export class ApiError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly issues?: FieldIssue[],
    /** Response headers the caller needs to act on the error (WWW-Authenticate, Retry-After). */
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = new.target.name;
  }

  toBody(requestId?: string): ErrorBody {
    return {
      error: {
        status: this.status,
        code: this.code,
        message: this.message,
        ...(this.issues ? { issues: this.issues } : {}),
        ...(requestId ? { requestId } : {}),
      },
    };
  }
}

export class RouteNotFoundError extends ApiError {
  constructor(method: string, path: string) {
    super(404, 'not_found', `no route for ${method} ${path}`);
  }
}

export class ModelNotFoundError extends ApiError {
  constructor(name: string, version: string | undefined, available: string[]) {
    const what = version ? `model '${name}' version '${version}'` : `model '${name}'`;
    super(404, 'model_not_found', `${what} is not served; available: ${available.join(', ') || 'none'}`);
  }
}

export class InvalidJsonError extends ApiError {
  constructor(detail: string) {
    super(400, 'invalid_json', `request body is not valid JSON: ${detail}`);
  }
}

export class InvalidFeaturesError extends ApiError {
  constructor(issues: FieldIssue[]) {
    const count = issues.length === 1 ? '1 invalid field' : `${issues.length} invalid fields`;
    super(422, 'invalid_features', `${count}: ${issues.map((i) => `${i.path} ${i.message}`).join('; ')}`, issues);
  }
}

export class PayloadTooLargeError extends ApiError {
  constructor(limitBytes: number) {
    super(413, 'payload_too_large', `request body exceeds MAX_BODY_BYTES (${limitBytes} bytes); send the instances in smaller batches`);
  }
}

export class NotReadyError extends ApiError {
  constructor() {
    super(503, 'not_ready', 'models are still loading; retry shortly');
  }
}

export class UnauthorizedError extends ApiError {
  constructor() {
    super(401, 'unauthorized', 'an API key is required: send it as x-api-key or Authorization: Bearer <key>', undefined, {
      'WWW-Authenticate': 'Bearer realm="prediction-api"',
    });
  }
}

export class ForbiddenError extends ApiError {
  constructor() {
    // Never echo the key: it would land in client logs and proxies.
    super(403, 'forbidden', 'the API key is not valid');
  }
}

export class RateLimitedError extends ApiError {
  constructor(retryAfterSeconds: number) {
    super(429, 'rate_limited', `rate limit exceeded; retry after ${retryAfterSeconds} s`, undefined, {
      'Retry-After': String(retryAfterSeconds),
    });
  }
}

export class RequestTimeoutError extends ApiError {
  constructor(timeoutMs: number) {
    super(503, 'timeout', `the request did not finish within ${timeoutMs} ms`);
  }
}

export class OverloadedError extends ApiError {
  /** `saturated`: the bound is SATURATED_IN_FLIGHT's, which applies while the event loop is saturated. */
  constructor(inFlight: number, saturated = false) {
    const limit = saturated
      ? `saturated: its event loop is busy and ${inFlight} requests are in flight (SATURATED_IN_FLIGHT)`
      : `at its limit of ${inFlight} requests in flight (MAX_IN_FLIGHT)`;
    // Retry-After 1: one request's worth of waiting; a load balancer may try another instance at once.
    super(503, 'overloaded', `the server is ${limit}; retry after 1 s`, undefined, {
      'Retry-After': '1',
    });
  }
}

class InternalError extends ApiError {
  constructor() {
    // Generic on purpose: the cause goes to the log, not to the caller.
    super(500, 'internal_error', 'internal server error');
  }
}

/** Any thrown value as the ApiError the caller sees. */
export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  if (err instanceof RequestValidationError) return new InvalidFeaturesError(err.issues);
  if (err instanceof HTTPException && err.status < 500) {
    return new ApiError(err.status as ContentfulStatusCode, 'http_error', err.message || 'bad request');
  }
  return new InternalError();
}
