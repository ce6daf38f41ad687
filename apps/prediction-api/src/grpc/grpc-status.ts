// The app's errors as gRPC statuses: one table from the HTTP status each ApiError carries (what REST answers) to the
// status code a gRPC client gets for the same refusal, with the message unchanged (it names the input, the model,
// the limit). Headers a REST caller acts on (Retry-After, WWW-Authenticate) go out as trailing metadata.
import { Metadata, status, type ServiceError } from '@grpc/grpc-js';
import type { ApiError } from '../errors';

const byHttpStatus: Readonly<Record<number, status>> = {
  400: status.INVALID_ARGUMENT,
  401: status.UNAUTHENTICATED,
  403: status.PERMISSION_DENIED,
  404: status.NOT_FOUND,
  413: status.RESOURCE_EXHAUSTED,
  422: status.INVALID_ARGUMENT,
  429: status.RESOURCE_EXHAUSTED,
  500: status.INTERNAL,
  501: status.UNIMPLEMENTED,
  // not_ready: the models are still loading.
  503: status.UNAVAILABLE,
};

/** The 503s that are no "unavailable": the deadline passed, or the in-flight bound was reached. */
const byCode: Readonly<Record<string, status>> = {
  timeout: status.DEADLINE_EXCEEDED,
  overloaded: status.RESOURCE_EXHAUSTED,
};

export function grpcStatusOf(error: ApiError): status {
  return byCode[error.code] ?? byHttpStatus[error.status] ?? (error.status >= 500 ? status.INTERNAL : status.INVALID_ARGUMENT);
}

/** The status code's name, as logs and metrics label it: OK, INVALID_ARGUMENT, … */
export function grpcCodeName(code: status): string {
  return status[code] ?? String(code);
}

export function toServiceError(error: ApiError): Pick<ServiceError, 'code' | 'details' | 'metadata'> {
  const metadata = new Metadata();
  for (const [name, value] of Object.entries(error.headers)) metadata.set(name.toLowerCase(), value);
  return { code: grpcStatusOf(error), details: error.message, metadata };
}
