// The Lambda entrypoint (the image's CMD index.handler): the node server's app behind Hono's aws-lambda adapter.
// Config and models load at module scope with top-level await, so they load in Lambda's init phase, once per
// execution environment: the first invocation does not pay for them and warm ones reuse the loaded sessions.
import { createLambdaHandler } from './aws-lambda/lambda-handler';
import { readServerConfig } from './config';
import { createConfiguredApp } from './configured-app';
import { startModelSource } from './model-source';
import { startupFailureText } from './startup-failure';

const config = readServerConfig(process.env);
const { app, catalog, logger } = createConfiguredApp(config, 'sync');
const models = await startModelSource(config, catalog, logger, { backgroundRefresh: false }).catch((err: unknown) => {
  // Lambda reports a failed init and retries it on the next invocation; the log says why.
  logger.fatal({ err }, 'startup failed');
  process.stderr.write(startupFailureText(err));
  throw err;
});

export const handler = createLambdaHandler(app, models);
