// Loads one model from the store: the file's digest, the patches it needs, a session, its signature and its spec
// (checked against that signature, so a spec that does not fit the model is refused at start, not per request).
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import {
  type ModelSignature,
  type ModelSpec,
  type TensorMap,
  checkSpecAgainstSignature,
  parseModelSpec,
} from '@onnx-serve/feature-spec';
import * as ort from 'onnxruntime-node';
import { ModelLoadError } from './errors';
import { patchOnnxModel } from './onnx/patch-onnx-model';
import { chunkedRunner } from './session/chunked-runner';
import { checkFeeds } from './session/feeds';
import { fromOrtOutputs, toOrtFeeds } from './session/ort-tensors';
import { signatureOf } from './session/signature';
import type { ModelRef } from './store/model-store';

export interface LoadOptions {
  /** Threads per session run; 1 suits a server that runs many small requests side by side. Default 1. */
  intraOpNumThreads?: number;
  graphOptimizationLevel?: 'disabled' | 'basic' | 'extended' | 'all';
  /** Batches with more rows run in chunks, yielding the event loop between them. Default 64; Infinity never splits. */
  maxRowsPerRun?: number;
  /** Locale for StringNormalizer nodes exported without one (see patchOnnxModel). Default C.UTF-8. */
  textLocale?: string;
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
  /** Runs the model; rejects with InvalidFeedsError when the feeds do not match the signature. */
  run(feeds: TensorMap): Promise<TensorMap>;
  release(): Promise<void>;
}

export const defaultMaxRowsPerRun = 64;

export async function loadModel(ref: ModelRef, options: LoadOptions = {}): Promise<LoadedModel> {
  const id = `${ref.name}:${ref.version}`;
  const fail = (message: string, cause: unknown): never => {
    throw new ModelLoadError(ref.modelPath, `model ${id} (${ref.modelPath}): ${message}: ${errorMessage(cause)}`, { cause });
  };
  const bytes = await readFile(ref.modelPath).catch((e: unknown) => fail('cannot read the model file', e));
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  let patch: ReturnType<typeof patchOnnxModel>;
  try {
    patch = patchOnnxModel(bytes, { textLocale: options.textLocale });
  } catch (error) {
    return fail('not a valid ONNX model', error);
  }
  // An unpatched model is opened by its path: onnxruntime finds external data files (model.onnx.data) relative to
  // the model file, and refuses them for a model given as bytes.
  const sessionOptions: ort.InferenceSession.SessionOptions = {
    intraOpNumThreads: options.intraOpNumThreads ?? 1,
    graphOptimizationLevel: options.graphOptimizationLevel ?? 'all',
  };
  const session = await (
    patch.changes.length === 0
      ? ort.InferenceSession.create(ref.modelPath, sessionOptions)
      : ort.InferenceSession.create(patch.bytes, sessionOptions)
  ).catch((e: unknown) => fail('onnxruntime cannot load it', e));
  const signature = signatureOf(session, patch.zipMaps);
  let spec: ModelSpec | null = null;
  if (ref.specPath) {
    try {
      spec = await readSpec(ref.specPath, signature);
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
  const runRows = chunkedRunner(signature, options.maxRowsPerRun ?? defaultMaxRowsPerRun, runOnce);
  return {
    name: ref.name,
    version: ref.version,
    sha256,
    spec,
    signature,
    patches: patch.changes,
    run(feeds) {
      // Not async: a promise returned from an async function costs extra turns, on every prediction.
      try {
        checkFeeds(id, signature, feeds);
      } catch (error) {
        return Promise.reject(error);
      }
      return runRows(feeds);
    },
    async release() {
      if (released) return;
      released = true;
      await session.release();
    },
  };
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
