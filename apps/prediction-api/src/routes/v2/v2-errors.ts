// The V2 protocol's error shape, {"error": "<message>"}: the app's one onError and notFound answer in it for every
// path under /v2, so errors thrown by middleware (a body too large, say) read the same as the routes' own.
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

/** An inference request that does not fit the model: the message names the input or output and what is wrong. */
export class InferRequestError extends ApiError {
  constructor(message: string) {
    super(400, 'invalid_inference_request', message);
  }
}

/** A model the V2 API cannot run at all (an input that is not a tensor): the server's limit, not the caller's fault. */
export class UnservableModelError extends ApiError {
  constructor(message: string) {
    super(501, 'not_implemented', message);
  }
}
