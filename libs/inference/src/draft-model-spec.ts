// A starting spec.json for an ONNX file (tools/inspect-model and the model generator), named from what is known:
// names given, else a golden file's, else the metadata_props written at export, else placeholders the todo lines
// point at; scoreKind from what the golden rows show.
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { type GoldenFile, type KnownNames, type ModelSpec, SpecError, draftSpecFromSignature } from '@onnx-serve/feature-spec';
import { loadModel } from './load-model';
import { metadataProps } from './onnx/model-metadata';

export interface DraftOptions {
  /** The columns of a single matrix input, in order. */
  features?: string[];
  /** The classes, in the order of the model's integer labels. */
  classes?: string[];
  /** A golden.json read with parseGoldenFile: its `features`, `labels` and `expected` scores are used. */
  golden?: GoldenFile;
}

export interface DraftResult {
  spec: ModelSpec;
  /** What is left for a person to edit, one line each. */
  todo: string[];
}

/** metadata_props keys a model may carry its training names under (a JSON array, or names separated by commas). */
const metadataKeys = { features: 'feature_names', classes: 'class_names' } as const;

/** Rejects with ModelLoadError when the model cannot be loaded, SpecError when no spec fits what is known. */
export async function draftModelSpec(modelPath: string, options: DraftOptions = {}): Promise<DraftResult> {
  const model = await loadModel({ name: basename(modelPath, '.onnx'), version: 'draft', modelPath });
  try {
    const metadata = metadataProps(await readFile(modelPath));
    const golden = goldenKnowledge(options.golden);
    const fromMetadata = (key: string): KnownNames | undefined => {
      const value = metadata.get(key);
      return value === undefined ? undefined : { names: namesIn(value, key), from: `metadata_props "${key}"` };
    };
    const given = (names: string[] | undefined, option: string): KnownNames | undefined =>
      names ? { names, from: `the ${option} option` } : undefined;
    return draftSpecFromSignature(model.signature, {
      features: given(options.features, 'features') ?? golden.features ?? fromMetadata(metadataKeys.features),
      classes: given(options.classes, 'classes') ?? golden.classes ?? fromMetadata(metadataKeys.classes),
      goldenScores: golden.scores,
      ...(golden.missing ? { goldenMissing: golden.missing } : {}),
    });
  } finally {
    await model.release();
  }
}

/** A JSON array of names (numbers become strings, as class labels often are), or names separated by commas. */
function namesIn(value: string, key: string): string[] {
  if (!value.trimStart().startsWith('[')) return value.split(',').map((name) => name.trim());
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    parsed = undefined;
  }
  const names = nameList(parsed);
  if (!names) throw draftError(`metadata_props.${key}`, `must be a JSON array of names or names separated by commas, got ${value.slice(0, 80)}`);
  return names;
}

function nameList(value: unknown): string[] | undefined {
  if (!Array.isArray(value) || !value.every((name) => typeof name === 'string' || typeof name === 'number')) return undefined;
  return value.map(String);
}

interface GoldenKnowledge {
  features?: KnownNames;
  classes?: KnownNames;
  /** Each output's expected rows that are all numbers: one row of scores per golden row ([v] for a bare value). */
  scores?: Record<string, number[][]>;
  /** The columns some row leaves null: positions of array rows, keys of object rows. */
  missing?: { columns: Set<number | string>; stringValue?: string };
}

/** What the golden file tells a draft: column and class names, and each output's numeric rows. */
function goldenKnowledge(golden: GoldenFile | undefined): GoldenKnowledge {
  if (golden === undefined) return {};
  const from = 'the golden file';
  const scores: Record<string, number[][]> = {};
  const knowledge: GoldenKnowledge = { scores };
  if (golden.features) knowledge.features = { names: golden.features, from };
  if (golden.labels) knowledge.classes = { names: golden.labels, from };
  for (const [output, rows] of Object.entries(golden.expected)) {
    const scoreRows = rows.map((row) => (Array.isArray(row) ? row : [row]));
    if (scoreRows.every((row) => row.every((score) => typeof score === 'number'))) scores[output] = scoreRows as number[][];
  }
  const columns = new Set<number | string>();
  for (const row of golden.rows) {
    const entries = Array.isArray(row) ? row.map((value, i) => [i, value] as const) : Object.entries(row);
    for (const [column, value] of entries) if (value === null) columns.add(column);
  }
  if (columns.size > 0) {
    const marker = golden.missing?.['string'];
    knowledge.missing = { columns, ...(typeof marker === 'string' ? { stringValue: marker } : {}) };
  }
  return knowledge;
}

function draftError(path: string, message: string): SpecError {
  return new SpecError('draft', [{ path, message }]);
}
