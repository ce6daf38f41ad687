// The Lambda handler built from source over the real app and an already-loaded registry: what the bundled
// handler's answers are compared with.
import type { ModelRegistry } from '@onnx-serve/inference';
import { pino } from 'pino';
import { createApp } from '../src/app';
import { createLambdaHandler, type LambdaHandler } from '../src/aws-lambda/lambda-handler';
import { ModelCatalog } from '../src/model-catalog';
import { defaultLimits } from '../src/service-limits';

export function sourceLambdaHandler(registry: ModelRegistry, refreshIfDue = async () => undefined): LambdaHandler {
  const catalog = new ModelCatalog(defaultLimits);
  catalog.use(registry);
  const app = createApp({ catalog, logger: pino({ level: 'silent' }), limits: defaultLimits, appVersion: '1.2.3-test' });
  return createLambdaHandler(app, { refreshIfDue });
}
