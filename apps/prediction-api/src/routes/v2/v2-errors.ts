// The V2 protocol's error shape, {"error": "<message>"}: the app's one onError and notFound answer in it for every
// path under /v2, so errors thrown by middleware (a body too large, say) read the same as the routes' own.
import type { ErrorBody } from '@onnx-serve/api-contract';
import { ApiError } from '../../errors';

export const v2BasePath = '/v2';

export function isV2Path(path: string): boolean {
  return path === v2BasePath || path.startsWith(`${v2BasePath}/`);
}

export interface V2ErrorBody {
  error: string;
}

export function v2ErrorBody(error: ApiError): V2ErrorBody {
  return { error: error.message };
}

/** The body an error answers with on `path`: the V2 shape under /v2, the v1 envelope (with the request id) elsewhere. */
export function errorBodyFor(path: string, error: ApiError, requestId: string | undefined): V2ErrorBody | ErrorBody {
  return isV2Path(path) ? v2ErrorBody(error) : error.toBody(requestId);
}
