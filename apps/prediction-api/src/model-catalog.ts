// What the routes see of the models: the loaded registry once there is one, and whether the app is ready.
// The registry can be swapped whole (a refreshed model store) without the routes noticing.
import { createPredictor, RunAbortedError, type LoadedModel, type ModelRegistry, type Predictor } from '@onnx-serve/inference';
import { ApiError, ModelNotFoundError, NotReadyError } from './errors';
import type { ServiceLimits } from './service-limits';

/** One model run: rows in the batch, seconds over all its chunks. */
export interface InferenceRun {
  model: string;
  version: string;
  rows: number;
  seconds: number;
  /** Rows never run: the run stopped between chunks at its request's deadline (0 for a run that finished). */
  rowsSkipped: number;
}

/** How metrics see inference without the inference library knowing of them. */
export type InferenceObserver = (run: InferenceRun) => void;

export class ModelCatalog {
  private registry: ModelRegistry | undefined;
  // Each loaded model's observed twin, and its v1 predictor: made once per loaded model, not per request.
  private readonly observedModels = new WeakMap<LoadedModel, LoadedModel>();
  private readonly predictors = new WeakMap<LoadedModel, Predictor>();
  private readonly inferenceObservers: InferenceObserver[] = [];
  private peersReady: () => boolean = () => true;

  constructor(private readonly limits: ServiceLimits) {}

  /** This process has its models: it can predict. */
  get ready(): boolean {
    return this.registry !== undefined;
  }

  /** Every process of the server has its models: what the readiness probes answer. */
  get allReady(): boolean {
    return this.registry !== undefined && this.peersReady();
  }

  /** The node server's workers each load their own models: the probes wait for the others' too. */
  awaitPeers(peersReady: () => boolean): void {
    this.peersReady = peersReady;
  }

  /** Start serving these models (the first load, or a refreshed store replacing the old one). */
  use(registry: ModelRegistry): void {
    this.registry = registry;
  }

  /** Tell `observer` of every run of a resolved model (each route that resolves here is covered). */
  observeInference(observer: InferenceObserver): void {
    this.inferenceObservers.push(observer);
  }

  current(): ModelRegistry {
    if (!this.registry) throw new NotReadyError();
    return this.registry;
  }

  /** Every loaded model, each version of each name. */
  allModels(): LoadedModel[] {
    const registry = this.current();
    return registry.list().flatMap(({ name, versions }) => versions.flatMap((v) => registry.get(name, v) ?? []));
  }

  versionsOf(name: string): string[] {
    return this.current().list().find((m) => m.name === name)?.versions ?? [];
  }

  /** The model by name and version ('latest' or none for the newest), its runs reported to the inference observers. */
  resolve(name: string, version?: string): LoadedModel {
    const registry = this.current();
    const model = registry.get(name, version);
    if (!model) throw new ModelNotFoundError(name, version, registry.names());
    let observed = this.observedModels.get(model);
    if (!observed) {
      observed = this.observed(model);
      this.observedModels.set(model, observed);
    }
    return observed;
  }

  /**
   * The v1 request path of a resolved model, compiled on first use: a model whose tensors v1 cannot carry (float16,
   * scalars) still lists, describes and serves over V2; only its v1 predict answers 501.
   */
  predictor(model: LoadedModel): Predictor {
    let predictor = this.predictors.get(model);
    if (!predictor) {
      predictor = this.v1Predictor(model);
      this.predictors.set(model, predictor);
    }
    return predictor;
  }

  private v1Predictor(model: LoadedModel): Predictor {
    try {
      return createPredictor(model, { maxInstances: this.limits.maxInstances, maxStringLength: this.limits.maxStringLength });
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err);
      throw new ApiError(501, 'unsupported_model', `model '${model.name}' cannot be served over v1 (${why}); use POST /v2/models/${model.name}/infer`);
    }
  }

  /** The model with its run() timed and reported, rows read from the first input's batch axis. */
  private observed(model: LoadedModel): LoadedModel {
    const [firstInput] = model.signature.inputs;
    const report = (rows: number, started: number, rowsSkipped: number): void => {
      const run: InferenceRun = { model: model.name, version: model.version, rows, seconds: (performance.now() - started) / 1000, rowsSkipped };
      for (const observe of this.inferenceObservers) observe(run);
    };
    return {
      ...model,
      run: async (feeds, options) => {
        const started = performance.now();
        const rows = (firstInput && feeds[firstInput.name]?.dims[0]) ?? 1;
        try {
          const outputs = await model.run(feeds, options);
          report(rows, started, 0);
          return outputs;
        } catch (error) {
          if (error instanceof RunAbortedError) report(rows, started, error.rows - error.rowsRun);
          throw error;
        }
      },
    };
  }
}
