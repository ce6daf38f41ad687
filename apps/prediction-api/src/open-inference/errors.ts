// Errors of the Open Inference Protocol that every transport reports: REST in its {"error": ...} shape with the
// status here, gRPC as the status code the status maps to.
import { ApiError } from '../errors';

/** An inference request that does not fit the model: the message names the input or output and what is wrong. */
export class InferRequestError extends ApiError {
  constructor(message: string) {
    super(400, 'invalid_inference_request', message);
  }
}

/** A model the protocol cannot run at all (an input that is not a tensor): the server's limit, not the caller's fault. */
export class UnservableModelError extends ApiError {
  constructor(message: string) {
    super(501, 'not_implemented', message);
  }
}
