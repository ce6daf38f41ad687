// The Open Inference Protocol (the KServe/Triton/MLServer "V2" REST API) over the same models as v1: health, server
// and model metadata, and inference straight on the ONNX tensors, whether or not a model has a spec.
// Mounted at /v2; errors take the V2 shape in the app's one onError (see v2-errors.ts).
import { Hono, type Context } from 'hono';
import type { LoadedModel } from '@onnx-serve/inference';
import type { AppEnv } from '../../app-env';
import type { ModelCatalog } from '../../model-catalog';
import type { ServiceLimits } from '../../service-limits';
import { readInferRequest } from '../../open-inference/infer-request';
import { outputTensors } from '../../open-inference/infer-response';
import { modelMetadata } from '../../open-inference/model-metadata';
import { readInferBody } from './read-infer-body';
import { binaryOutputChoice, inferResponse } from './write-infer-response';

export const v2ServerName = 'onnx-serve';

/** The protocol extensions served, named as Triton's server metadata names them. */
export const v2Extensions = ['binary_tensor_data'];

export function v2Routes(catalog: ModelCatalog, appVersion: string, limits: ServiceLimits): Hono<AppEnv> {
  const find = (c: Context<AppEnv>, name: string, version: string | undefined): LoadedModel => {
    c.set('model', name);
    // The catalog's model reports each run to the inference metrics.
    return catalog.resolve(name, version);
  };

  const metadata = (c: Context<AppEnv>, name: string, version?: string) => {
    const model = find(c, name, version);
    return c.json(modelMetadata(model, catalog.versionsOf(model.name)));
  };

  const ready = (c: Context<AppEnv>, name: string, version?: string) => {
    if (!catalog.allReady) return c.json({ name, ready: false }, 503);
    return c.json({ name: find(c, name, version).name, ready: true });
  };

  const infer = async (c: Context<AppEnv>, name: string, version?: string) => {
    const model = find(c, name, version);
    const message = await readInferBody(c);
    const request = readInferRequest(message, model.signature, limits);
    c.set('batchSize', request.batchSize);
    const outputs = await model.run(request.feeds, { signal: c.get('signal') });
    // The id is echoed when the caller sent one; otherwise it is the request id of the logs, so the two can be matched.
    const head = { model_name: model.name, model_version: model.version, id: request.id ?? c.get('requestId') };
    return inferResponse(c, head, outputTensors(request.outputs, outputs), binaryOutputChoice(message));
  };

  return new Hono<AppEnv>()
    .get('/', (c) => c.json({ name: v2ServerName, version: appVersion, extensions: v2Extensions }))
    .get('/health/live', (c) => c.json({ live: true }))
    .get('/health/ready', (c) => (catalog.allReady ? c.json({ ready: true }) : c.json({ ready: false }, 503)))
    .get('/models/:name', (c) => metadata(c, c.req.param('name')))
    .get('/models/:name/ready', (c) => ready(c, c.req.param('name')))
    .post('/models/:name/infer', (c) => infer(c, c.req.param('name')))
    .get('/models/:name/versions/:version', (c) => metadata(c, c.req.param('name'), c.req.param('version')))
    .get('/models/:name/versions/:version/ready', (c) => ready(c, c.req.param('name'), c.req.param('version')))
    .post('/models/:name/versions/:version/infer', (c) => infer(c, c.req.param('name'), c.req.param('version')));
}
