// inference.GRPCInferenceService: the Open Inference Protocol's six methods over the same catalog, limits and core as
// the V2 REST routes (routes/v2/v2-routes.ts), so a model answers the same whichever protocol asks.
import type { LoadedModel } from '@onnx-serve/inference';
import type { ModelCatalog } from '../model-catalog';
import { readInferRequest } from '../open-inference/infer-request';
import { outputTensors } from '../open-inference/infer-response';
import { modelMetadata, type ModelMetadata } from '../open-inference/model-metadata';
import { v2ServerName } from '../routes/v2/v2-routes';
import type { ServiceLimits } from '../service-limits';
import type { Access, CallContext, UnaryHandler } from './grpc-calls';
import { inferResponse, readInferMessage, type ModelInferRequest, type ModelInferResponse } from './infer-messages';

export const inferenceServiceName = 'inference.GRPCInferenceService';

interface ModelRequest {
  name: string;
  /** "" for the latest version. */
  version: string;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Method = { access: Access; handler: UnaryHandler<any, unknown> };

export function inferenceMethods(catalog: ModelCatalog, appVersion: string, limits: ServiceLimits): Record<string, Method> {
  const find = (context: CallContext, name: string, version: string): LoadedModel => {
    context.model = name;
    // 503 not_ready (UNAVAILABLE) while loading, 404 (NOT_FOUND) for a model or version not served.
    return catalog.resolve(name, version === '' ? undefined : version);
  };

  const modelReady = ({ name, version }: ModelRequest, context: CallContext) => {
    if (!catalog.ready) return { ready: false };
    find(context, name, version);
    return { ready: true };
  };

  const metadata = ({ name, version }: ModelRequest, context: CallContext): ModelMetadata => {
    const model = find(context, name, version);
    return modelMetadata(model, catalog.versionsOf(model.name));
  };

  const infer = async (message: ModelInferRequest, context: CallContext): Promise<ModelInferResponse> => {
    const model = find(context, message.model_name, message.model_version);
    const { request, raw } = readInferMessage(message);
    const read = readInferRequest(request, model.signature, limits);
    context.batchSize = read.batchSize;
    const outputs = await model.run(read.feeds, { signal: context.signal });
    return inferResponse({
      modelName: model.name,
      modelVersion: model.version,
      // Echoed when the caller sent one; otherwise the request id of the log line, as over REST.
      id: read.id ?? context.requestId,
      outputs: outputTensors(read.outputs, outputs),
      raw,
    });
  };

  return {
    ServerLive: { access: 'open', handler: () => ({ live: true }) },
    ServerReady: { access: 'open', handler: () => ({ ready: catalog.ready }) },
    // Keyed, as GET /v2/models/{name}/ready is: it names the models served.
    ModelReady: { access: 'keyed', handler: modelReady },
    ServerMetadata: { access: 'keyed', handler: () => ({ name: v2ServerName, version: appVersion, extensions: [] }) },
    ModelMetadata: { access: 'keyed', handler: metadata },
    ModelInfer: { access: 'keyed', handler: infer },
  };
}
