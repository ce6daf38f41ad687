// Every model of a store, loaded, by name and version ("latest" or no version means the highest).
import { ModelLoadError, ModelStoreLoadError } from './errors';
import { type LoadOptions, type LoadedModel, loadModel } from './load-model';
import type { ModelRef, ModelStore } from './store/model-store';
import { compareVersions } from './store/versions';

export interface ModelSummary {
  name: string;
  /** Ascending, numeric-aware. */
  versions: string[];
  latest: string;
}

interface ModelLoadFailure {
  ref: ModelRef;
  error: Error;
}

export type LoadModelsOptions = LoadOptions;

export class ModelRegistry {
  /** Name → its models, ascending by version (the last is "latest"). */
  private readonly byName = new Map<string, LoadedModel[]>();

  constructor(
    models: readonly LoadedModel[],
    /** Store entries that were passed over, with why. */
    readonly warnings: readonly string[] = [],
  ) {
    for (const model of [...models].sort((a, b) => compareVersions(a.version, b.version))) {
      const versions = this.byName.get(model.name) ?? [];
      if (versions.some((m) => m.version === model.version)) {
        throw new Error(`model ${model.name}:${model.version} is listed twice`);
      }
      this.byName.set(model.name, [...versions, model]);
    }
  }

  /** A model by name; version undefined or 'latest' means the highest version. */
  get(name: string, version?: string): LoadedModel | undefined {
    const versions = this.byName.get(name) ?? [];
    if (version === undefined || version === 'latest') return versions.at(-1);
    return versions.find((m) => m.version === version);
  }

  names(): string[] {
    return [...this.byName.keys()].sort();
  }

  list(): ModelSummary[] {
    return this.names().flatMap((name) => {
      const versions = (this.byName.get(name) ?? []).map((m) => m.version);
      const latest = versions.at(-1);
      return latest === undefined ? [] : [{ name, versions, latest }];
    });
  }

  async releaseAll(): Promise<void> {
    await Promise.all([...this.byName.values()].flat().map((m) => m.release()));
  }
}

/**
 * Every model is tried; if any cannot load, the call rejects with a ModelStoreLoadError naming each of them, after
 * releasing what was loaded.
 */
export async function loadModels(store: ModelStore, options: LoadModelsOptions = {}): Promise<ModelRegistry> {
  const { refs, warnings } = await store.scan();
  refuseDuplicates(refs);
  const loaded: LoadedModel[] = [];
  const failures: ModelLoadFailure[] = [];
  // One at a time: session creation runs on the main thread anyway, and the order of errors stays stable.
  for (const ref of refs) {
    try {
      loaded.push(await loadModel(ref, options));
    } catch (error) {
      const failure =
        error instanceof ModelLoadError
          ? error
          : new ModelLoadError(ref.modelPath, `model ${ref.name}:${ref.version} (${ref.modelPath}): ${String((error as Error)?.message ?? error)}`, { cause: error });
      failures.push({ ref, error: failure });
    }
  }
  if (failures.length > 0) {
    await Promise.all(loaded.map((m) => m.release()));
    throw new ModelStoreLoadError(failures.map((f) => ({ modelPath: f.ref.modelPath, error: f.error })));
  }
  return new ModelRegistry(loaded, warnings);
}

/** A custom store could list one version twice: refuse that before loading anything. */
function refuseDuplicates(refs: readonly ModelRef[]): void {
  const seen = new Set<string>();
  for (const ref of refs) {
    const id = `${ref.name}:${ref.version}`;
    if (seen.has(id)) throw new ModelLoadError(ref.modelPath, `model ${id} is listed twice by the store (${ref.modelPath})`);
    seen.add(id);
  }
}
