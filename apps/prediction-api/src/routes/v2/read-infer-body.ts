// The body of a V2 infer request: all JSON, or, with Triton's binary tensor data extension, a JSON header of
// Inference-Header-Content-Length bytes followed by the inputs' raw bytes. Triton's clients send the latter by
// default, with Content-Type application/octet-stream or none at all, so the header alone decides.
import type { Context } from 'hono';
import type { AppEnv } from '../../app-env';
import { InvalidJsonError } from '../../errors';
import { parseJsonText, readJsonBody } from '../../http/read-json-body';
import { requestHeader } from '../../http/request-header';
import { InferRequestError } from '../../open-inference/errors';
import type { InferRequestMessage } from '../../open-inference/infer-request';
import { quote } from '../../open-inference/tensor-data';
import { parseInferBody } from './infer-request-schema';

/** As Triton spells it; HTTP header names are case-insensitive. */
export const headerLengthHeader = 'Inference-Header-Content-Length';

const utf8 = new TextDecoder('utf-8', { fatal: true });

export async function readInferBody(c: Context<AppEnv>): Promise<InferRequestMessage> {
  const declared = requestHeader(c, 'inference-header-content-length');
  if (declared === undefined) return parseInferBody(await readJsonBody(c));
  const length = headerLength(declared);
  // The body-size middleware has already refused a body over MAX_BODY_BYTES (or stops a chunked one as it streams).
  const body = new Uint8Array(await c.req.arrayBuffer());
  if (length > body.length) {
    throw new InferRequestError(`Inference-Header-Content-Length is ${declared.trim()}, but the body holds only ${body.length} bytes`);
  }
  const part = `the JSON header (the first ${length} bytes, per Inference-Header-Content-Length)`;
  let text: string;
  try {
    text = utf8.decode(body.subarray(0, length));
  } catch {
    throw new InvalidJsonError(`${part} is not valid UTF-8`);
  }
  return parseInferBody(parseJsonText(text, part), body.subarray(length));
}

/** The header's value as a byte count; one past any body (too many digits to be exact) still compares as larger. */
function headerLength(value: string): number {
  if (!/^\d+$/.test(value.trim())) {
    throw new InferRequestError(`Inference-Header-Content-Length must be a non-negative integer (the byte length of the JSON header), got ${quote(value)}`);
  }
  return Number(value);
}
