// A spec against the graph it is meant for: run at model load, so a spec that does not fit fails the deployment
// with the ONNX input or output named, instead of failing every request.
import { isFloatDtype, isIntegerDtype } from './dtypes';
import { SpecError, type FieldIssue } from './errors';
import { matrixColumns, tensorInput } from './input-mapping';
import type { ModelSpec, OutputMapping, TensorDtype } from './model-spec';
import { describeTensor, holdsOnePerRow } from './tensor-shapes';
import type { ModelSignature, TensorSignature } from './tensors';

export function checkSpecAgainstSignature(spec: ModelSpec, signature: ModelSignature, source = 'spec'): void {
  const issues = [...inputIssues(spec, signature.inputs), ...outputIssues(spec.outputs, signature.outputs)];
  if (issues.length > 0) throw new SpecError(source, issues);
}

interface Feed {
  path: string;
  input: string;
  /** The field that names the input: `…input`, or `…feature` where the input is named after the feature. */
  inputPath: string;
  dtype: TensorDtype;
  /** Matrix: the column count; per-feature: undefined. */
  columns?: number;
}

function inputIssues({ features, inputs: mapping }: ModelSpec, graph: TensorSignature[]): FieldIssue[] {
  const feeds: Feed[] =
    mapping.kind === 'matrix'
      ? [{ path: 'inputs', input: mapping.input, inputPath: 'inputs.input', dtype: mapping.dtype, columns: matrixColumns(features, mapping).length }]
      : mapping.tensors.map((tensor, i) => ({
          path: `inputs.tensors[${i}]`,
          input: tensorInput(tensor),
          inputPath: `inputs.tensors[${i}].${tensor.input === undefined ? 'feature' : 'input'}`,
          dtype: tensor.dtype,
        }));
  const issues: FieldIssue[] = [];
  for (const feed of feeds) {
    const tensor = graph.find((candidate) => candidate.name === feed.input);
    if (!tensor) {
      const known = graph.map((candidate) => `${candidate.name} (${describeTensor(candidate)})`).join(', ');
      issues.push({ path: feed.inputPath, message: `ONNX input "${feed.input}" is not in the graph; its inputs are: ${known}` });
      continue;
    }
    if (tensor.dtype !== feed.dtype) {
      issues.push({ path: `${feed.path}.dtype`, message: `is ${feed.dtype}, but ONNX input "${feed.input}" is ${describeTensor(tensor)}` });
    }
    const problem = feed.columns === undefined ? perFeatureShapeProblem(tensor) : matrixShapeProblem(tensor, feed.columns);
    if (problem) issues.push({ path: feed.inputPath, message: `ONNX input "${feed.input}" is ${describeTensor(tensor)}: ${problem}` });
  }
  for (const tensor of graph) {
    if (!feeds.some((feed) => feed.input === tensor.name)) {
      issues.push({ path: 'inputs', message: `ONNX input "${tensor.name}" (${describeTensor(tensor)}) is not fed by the spec` });
    }
  }
  return issues;
}

function matrixShapeProblem({ shape }: TensorSignature, columns: number): string | undefined {
  if (shape.length !== 2) return `not a matrix [N,${columns}]`;
  return shape[1] === null || shape[1] === columns ? undefined : `it takes ${shape[1]} columns, the spec maps ${columns}`;
}

function perFeatureShapeProblem(tensor: TensorSignature): string | undefined {
  return holdsOnePerRow(tensor) ? undefined : 'a per-feature input must be [N,1] or [N]';
}

function outputIssues(mapping: OutputMapping, graph: TensorSignature[]): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const find = (path: string, name: string): TensorSignature | undefined => {
    const tensor = graph.find((candidate) => candidate.name === name);
    if (!tensor) {
      const known = graph.map((candidate) => `${candidate.name} (${describeTensor(candidate)})`).join(', ');
      issues.push({ path, message: `ONNX output "${name}" is not in the graph; its outputs are: ${known}` });
    }
    return tensor;
  };
  const problem = (path: string, tensor: TensorSignature, text: string) =>
    issues.push({ path, message: `ONNX output "${tensor.name}" is ${describeTensor(tensor)}: ${text}` });

  if (mapping.kind === 'regression') {
    const tensor = find('outputs.output', mapping.output);
    if (tensor && !(isFloatDtype(tensor.dtype) && holdsOnePerRow(tensor))) {
      problem('outputs.output', tensor, 'a regression output must be float32 or float64, [N] or [N,1]');
    }
    return issues;
  }
  const label = mapping.labelOutput === undefined ? undefined : find('outputs.labelOutput', mapping.labelOutput);
  if (label && !((isIntegerDtype(label.dtype) || label.dtype === 'string') && holdsOnePerRow(label))) {
    problem('outputs.labelOutput', label, 'a label output must hold one integer (or class name) per row');
  }
  const scores = mapping.scoresOutput === undefined ? undefined : find('outputs.scoresOutput', mapping.scoresOutput);
  if (!scores) return issues;
  if (!scores.zipMapClasses && !(isFloatDtype(scores.dtype) && scores.shape.length <= 2)) {
    problem('outputs.scoresOutput', scores, 'a scores output must be float32 or float64, [N,classes]');
    return issues;
  }
  const width = scores.zipMapClasses?.length ?? (scores.shape.length === 1 ? 1 : (scores.shape[1] ?? null));
  const classes = mapping.classes.length;
  if (width === 1 && !(mapping.scoreKind === 'decision' && classes === 2)) {
    problem('outputs.scoreKind', scores, 'one score per row fits only a binary decision function (scoreKind "decision", 2 classes)');
  } else if (width !== null && width !== 1 && width !== classes) {
    problem('outputs.classes', scores, `it holds ${width} scores per row, but the spec lists ${classes} classes`);
  }
  return issues;
}

