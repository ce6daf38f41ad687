// The four bundled example models as tests see them: their spec.json and golden pairs read from disk, and their
// ONNX signatures written out by hand from test-fixtures/README.upstream.md (the library itself never reads files).
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseModelSpec, type ModelSignature, type ModelSpec } from '../src/index';

const workspaceRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

export interface ExampleModel {
  /** Folder under models/. */
  name: string;
  /** Golden file stem under test-fixtures/golden/. */
  golden: string;
  signature: ModelSignature;
}

export const exampleModels: ExampleModel[] = [
  {
    name: 'diabetes',
    golden: 'diabetes-rf',
    signature: {
      inputs: [{ name: 'X', dtype: 'float32', shape: [null, 10] }],
      outputs: [{ name: 'variable', dtype: 'float32', shape: [null, 1] }],
    },
  },
  {
    name: 'iris',
    golden: 'iris-gb-zipmap',
    signature: {
      inputs: [{ name: 'X', dtype: 'float32', shape: [null, 4] }],
      outputs: [
        { name: 'output_label', dtype: 'int64', shape: [null] },
        // A ZipMap in the file; the inference library serves it as float32 [N,3].
        { name: 'output_probability', dtype: 'float32', shape: [null, 3], zipMapClasses: [0, 1, 2] },
      ],
    },
  },
  {
    name: 'sentiment',
    golden: 'sentiment-svc',
    signature: {
      inputs: [{ name: 'review_text', dtype: 'string', shape: [null, 1] }],
      outputs: [
        { name: 'label', dtype: 'int64', shape: [null] },
        { name: 'probabilities', dtype: 'float32', shape: [null, 1] },
      ],
    },
  },
  {
    name: 'disaster-tweets',
    golden: 'tweets-logreg',
    signature: {
      inputs: ['keyword', 'location', 'text'].map((name) => ({ name, dtype: 'string' as const, shape: [null, 1] })),
      outputs: [
        { name: 'label', dtype: 'int64', shape: [null] },
        { name: 'probabilities', dtype: 'float32', shape: [null, 2] },
      ],
    },
  },
];

export function exampleModel(name: string): ExampleModel {
  const model = exampleModels.find((candidate) => candidate.name === name);
  if (!model) throw new Error(`no example model ${name}`);
  return model;
}

export function specPath(name: string): string {
  return `test-fixtures/models/${name}/1/spec.json`;
}

export function loadSpec(name: string): ModelSpec {
  const path = specPath(name);
  return parseModelSpec(JSON.parse(readFileSync(resolve(workspaceRoot, path), 'utf8')), path);
}

export interface Golden {
  /** The column names of `rows` (for a matrix model), else absent. */
  features?: string[];
  /** The ONNX input(s) the rows feed. */
  input?: { name: string };
  inputs?: { name: string }[];
  rows: (number | string)[][];
  /** Keyed by ONNX output name: labels as integers, scores as rows of floats, regression values as [v] rows. */
  expected: Record<string, (number | number[])[]>;
}

export function loadGolden(stem: string): Golden {
  return JSON.parse(readFileSync(resolve(workspaceRoot, 'test-fixtures/golden', `${stem}.golden.json`), 'utf8')) as Golden;
}

/** items[index], failing the test where it is missing (instead of a non-null assertion). */
export function at<T>(items: readonly T[] | undefined, index: number): T {
  const item = items?.[index];
  if (item === undefined) throw new Error(`no element ${index}`);
  return item;
}
