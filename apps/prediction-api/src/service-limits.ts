// The limits the app enforces on every request, and their one default each (the environment's defaults and every
// caller of createApp take them from here).
import { defaultMaxInstances } from '@onnx-serve/feature-spec/settings';

export interface ServiceLimits {
  maxBodyBytes: number;
  maxInstances: number;
  maxStringLength: number;
}

/**
 * The body limit is sized to the instance limit: 10,000 rows of 10 named float features from Python's json.dumps
 * are ~3.6 MB (~360 bytes a row), so 4 MiB admits them, while a Lambda request (the body JSON-escaped inside the
 * event) stays under its 6 MB synchronous payload limit.
 */
export const defaultLimits: ServiceLimits = {
  maxBodyBytes: 4 * 1024 * 1024,
  maxInstances: defaultMaxInstances,
  maxStringLength: 10_000,
};
