// What the routes see of the models: the loaded registry once there is one, and whether the app is ready.
// The registry can be swapped whole (a refreshed model store) without the routes noticing.
import type { LoadedModel, ModelRegistry } from '@onnx-serve/inference';
import { ModelNotFoundError, NotReadyError } from './errors';
import { createPredictor, type Predictor } from './prediction/predictor';
import type { ServiceLimits } from './config';

export interface ServedModel {
  model: LoadedModel;
  predictor: Predictor;
}

export class ModelCatalog {
  private registry: ModelRegistry | undefined;
  // Validators are compiled once per loaded model, not per request.
  private readonly predictors = new WeakMap<LoadedModel, Predictor>();

  constructor(private readonly limits: ServiceLimits) {}

  get ready(): boolean {
    return this.registry !== undefined;
  }

  /** Start serving these models (the first load, or a refreshed store replacing the old one). */
  use(registry: ModelRegistry): void {
    this.registry = registry;
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

  /** The model by name and version ('latest' or none for the newest), with its predictor. */
  resolve(name: string, version?: string): ServedModel {
    const registry = this.current();
    const model = registry.get(name, version);
    if (!model) throw new ModelNotFoundError(name, version, registry.names());
    let predictor = this.predictors.get(model);
    if (!predictor) {
      predictor = createPredictor(model, this.limits);
      this.predictors.set(model, predictor);
    }
    return { model, predictor };
  }
}
