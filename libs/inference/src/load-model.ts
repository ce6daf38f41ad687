// Loads one model from the store: the file's digest, the patches it needs, a session, its signature and its spec
// (checked against that signature, so a spec that does not fit the model is refused at start, not per request).
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import {
  type ModelSignature,
  type ModelSpec,
  type TensorMap,
  checkSpecAgainstSignature,
  parseModelSpec,
} from '@onnx-serve/feature-spec';
import * as ort from 'onnxruntime-node';
import { ModelLoadError } from './errors';
import { externalDataLocations } from './onnx/external-data';
import { patchOnnxModel } from './onnx/patch-onnx-model';
import { chunkedRunner, defaultMaxRowsPerRun, type RunOptions } from './session/chunked-runner';
import { batchedRunner, batchingProblem } from './session/dynamic-batcher';
import { checkFeeds } from './session/feeds';
import { fromOrtOutputs, toOrtFeeds } from './session/ort-tensors';
import { signatureOf } from './session/signature';
import type { ModelRef } from './store/model-store';
import { checkGolden, type GoldenVerification } from './verify/golden-check';
import type { GoldenCheck } from './verify/golden-check-modes';

export interface LoadOptions {
  /** Threads per session run; 1 suits a server that runs many small requests side by side. Default 1. */
  intraOpNumThreads?: number;
  graphOptimizationLevel?: 'disabled' | 'basic' | 'extended' | 'all';
  /** Batches with more rows run in chunks, yielding the event loop between them. Default 256; Infinity never splits. */
  maxRowsPerRun?: number;
  /** Locale for StringNormalizer nodes exported without one (see patchOnnxModel). Default C.UTF-8. */
  textLocale?: string;
  /**
   * What a version whose golden.json rows fail gets: 'refuse' (default: it does not load, the error holds the
   * report), 'warn' (it loads, with the failure in `verification`), 'off' (the rows are not replayed).
   */
  goldenCheck?: GoldenCheck;
}

export interface LoadedModel {
  name: string;
  version: string;
  /** sha256 (hex) of the model file as stored, before any patch. */
  sha256: string;
  spec: ModelSpec | null;
  signature: ModelSignature;
  /** What patchOnnxModel changed to make the file run. */
  patches: string[];
  /** The external data files the graph keeps tensors in, beside the model file (names as the graph gives them). */
  externalData: string[];
  /** How its golden.json rows replayed; null for a version without golden.json. */
  verification: GoldenVerification | null;
  /** When this version finished loading (ISO 8601): a page says how long it has been served. */
  loadedAt: string;
  /**
   * Runs the model; rejects with InvalidFeedsError when the feeds do not match the signature, and with
   * RunAbortedError when `options.signal` is aborted before the last chunk of a big batch.
   */
  run(feeds: TensorMap, options?: RunOptions): Promise<TensorMap>;
  release(): Promise<void>;
}

export async function loadModel(ref: ModelRef, options: LoadOptions = {}): Promise<LoadedModel> {
  const id = `${ref.name}:${ref.version}`;
  const fail = (message: string, cause: unknown): never => {
    throw new ModelLoadError(ref.modelPath, `model ${id} (${ref.modelPath}): ${message}: ${errorMessage(cause)}`, { cause });
  };
  const bytes = await readFile(ref.modelPath).catch((e: unknown) => fail('cannot read the model file', e));
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  let patch: ReturnType<typeof patchOnnxModel>;
  let externalData: string[];
  try {
    patch = patchOnnxModel(bytes, { textLocale: options.textLocale });
    externalData = externalDataLocations(bytes);
  } catch (error) {
    return fail('not a valid ONNX model', error);
  }
  const folder = dirname(ref.modelPath);
  for (const location of externalData) {
    const problem = await externalDataProblem(folder, location);
    if (problem) fail('its external data cannot be read', new Error(problem));
  }
  // A session made from (patched) bytes has no folder to find external data in: onnxruntime is given it.
  const external = externalData.length === 0 ? {} : { extra: { session: { model_external_initializers_file_folder_path: folder } } };
  const session = await ort.InferenceSession.create(patch.bytes, {
    intraOpNumThreads: options.intraOpNumThreads ?? 1,
    graphOptimizationLevel: options.graphOptimizationLevel ?? 'all',
    ...external,
  }).catch((e: unknown) => fail('onnxruntime cannot load it', e));
  const signature = signatureOf(session, patch.zipMaps);
  let spec: ModelSpec | null = null;
  if (ref.specPath) {
    try {
      spec = await readSpec(ref.specPath, signature);
      const problem = spec.batching && batchingProblem(signature);
      if (problem) throw new Error(`${ref.specPath}: batching: ${problem}`);
    } catch (error) {
      await session.release();
      fail('its spec is refused', error);
    }
  }

  const fetches = signature.outputs.filter((o) => o.dtype !== 'unsupported').map((o) => o.name);
  let released = false;
  const runOnce = async (feeds: TensorMap): Promise<TensorMap> => {
    // Checked per chunk too: a release() may land between the chunks of a big batch.
    if (released) throw new Error(`model ${id} has been released`);
    return fromOrtOutputs(await session.run(toOrtFeeds(feeds), fetches));
  };
  const chunked = chunkedRunner(signature, options.maxRowsPerRun ?? defaultMaxRowsPerRun, runOnce, id);
  const runRows = spec?.batching ? batchedRunner(signature, spec.batching, chunked) : chunked;
  const model: LoadedModel = {
    name: ref.name,
    version: ref.version,
    sha256,
    spec,
    signature,
    patches: patch.changes,
    externalData,
    verification: null,
    loadedAt: '',
    run(feeds, runOptions) {
      // Not async: a promise returned from an async function costs extra turns, on every prediction.
      try {
        checkFeeds(id, signature, feeds);
      } catch (error) {
        return Promise.reject(error);
      }
      return runRows(feeds, runOptions);
    },
    async release() {
      if (released) return;
      released = true;
      await session.release();
    },
  };
  if (ref.goldenPath) {
    const { verification, refusal } = await checkGolden(model, ref.goldenPath, options.goldenCheck ?? 'refuse');
    if (refusal) {
      await model.release();
      throw new ModelLoadError(ref.modelPath, `model ${id} (${ref.modelPath}): ${refusal}`);
    }
    model.verification = verification;
  }
  model.loadedAt = new Date().toISOString();
  return model;
}

/** Only a plain file beside model.onnx is read: a location with a folder in it could reach outside the store. */
async function externalDataProblem(folder: string, location: string): Promise<string | undefined> {
  if (location !== basename(location) || location === '.' || location === '..' || location.includes('\\')) {
    return `the graph refers to external data at ${JSON.stringify(location)}; only a file beside the model file is read`;
  }
  const info = await stat(join(folder, location)).catch(() => undefined);
  if (info?.isFile()) return undefined;
  return `the graph keeps tensors in ${JSON.stringify(location)}, which is not in ${folder}: copy the data file the exporter wrote beside model.onnx, under that name`;
}

/** The parsed spec, checked against the real signature; SpecError messages name the file and the ONNX tensor. */
async function readSpec(specPath: string, signature: ModelSignature): Promise<ModelSpec> {
  const text = await readFile(specPath, 'utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`${specPath} is not valid JSON (${errorMessage(error)})`, { cause: error });
  }
  const spec = parseModelSpec(json, specPath);
  checkSpecAgainstSignature(spec, signature, specPath);
  return spec;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
