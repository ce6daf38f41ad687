// The checks zod's per-field schema cannot make: how the fields of one spec fit together.
import { messageProblems } from './class-messages';
import { featureFitsDtype, isFloatDtype } from './dtypes';
import type { FieldIssue } from './errors';
import { featureValueProblem } from './feature-values';
import { tensorInput } from './input-mapping';
import type { FeatureSpec, ModelSpec } from './model-spec';

export function specConsistencyIssues(spec: ModelSpec): FieldIssue[] {
  return [...spec.features.flatMap(featureIssues), ...duplicateNames(spec), ...mappingIssues(spec), ...outputIssues(spec)];
}

function featureIssues(feature: FeatureSpec, index: number): FieldIssue[] {
  const at = (field: string, message: string) => ({ path: `features[${index}].${field}`, message });
  const issues: FieldIssue[] = [];
  const numeric = feature.type === 'number' || feature.type === 'integer';
  for (const bound of ['minimum', 'maximum'] as const) {
    if (!numeric && feature[bound] !== undefined) issues.push(at(bound, `only number and integer features have bounds, not ${feature.type} ones`));
  }
  if (feature.type !== 'string' && feature.maxLength !== undefined) {
    issues.push(at('maxLength', `only string features have a maxLength, not ${feature.type} ones`));
  }
  if (feature.missing !== undefined && !numeric) {
    issues.push(at('missing', `only number and integer features take missing "nan"; a ${feature.type} feature's missing value is its default`));
  }
  if (feature.missing !== undefined && feature.default !== undefined) {
    issues.push(at('missing', 'a feature takes a default or missing "nan", not both: either fills a missing value'));
  }
  if (feature.minimum !== undefined && feature.maximum !== undefined && feature.minimum > feature.maximum) {
    issues.push(at('minimum', `must be ≤ maximum, got ${feature.minimum} > ${feature.maximum}`));
  }
  if (issues.length > 0) return issues; // values are only judged against a sound feature
  const unrestricted = { ...feature, enum: undefined };
  feature.enum?.forEach((value, i) => {
    const problem = featureValueProblem(unrestricted, value);
    if (problem) issues.push(at(`enum[${i}]`, problem));
  });
  for (const field of ['default', 'example'] as const) {
    const value = feature[field];
    const problem = value === undefined ? undefined : featureValueProblem(feature, value);
    if (problem) issues.push(at(field, problem));
  }
  return issues;
}

function duplicateNames({ features }: ModelSpec): FieldIssue[] {
  return features.flatMap(({ name }, index) =>
    features.findIndex((other) => other.name === name) < index
      ? [{ path: `features[${index}].name`, message: `duplicate feature name "${name}"` }]
      : [],
  );
}

/** Every feature fed exactly once, only known features, each into a tensor that can carry its values. */
function mappingIssues({ features, inputs }: ModelSpec): FieldIssue[] {
  const entries =
    inputs.kind === 'matrix'
      ? matrixEntries(features, inputs.columns).map((entry) => ({ ...entry, dtype: inputs.dtype, dtypePath: 'inputs.dtype' }))
      : inputs.tensors.map((tensor, i) => ({
          feature: tensor.feature,
          path: `inputs.tensors[${i}].feature`,
          dtype: tensor.dtype,
          dtypePath: `inputs.tensors[${i}].dtype`,
        }));
  const issues: FieldIssue[] = [];
  const mapped = new Set<string>();
  for (const entry of entries) {
    const feature = features.find((candidate) => candidate.name === entry.feature);
    if (!feature) {
      const known = features.map((candidate) => candidate.name).join(', ');
      issues.push({ path: entry.path, message: `unknown feature "${entry.feature}"; the features are: ${known}` });
    } else if (mapped.has(entry.feature)) {
      issues.push({ path: entry.path, message: `feature "${entry.feature}" is mapped more than once` });
    } else if (!featureFitsDtype(feature.type, entry.dtype)) {
      issues.push({ path: entry.dtypePath, message: `${entry.dtype} cannot carry ${feature.type} feature "${feature.name}"` });
    } else if (feature.missing === 'nan' && feature.type !== 'string' && !isFloatDtype(entry.dtype)) {
      const index = features.indexOf(feature);
      issues.push({
        path: `features[${index}].missing`,
        message: `feature "${feature.name}" is fed as ${entry.dtype}, which cannot hold NaN: missing "nan" needs a float32 or float64 input`,
      });
    }
    mapped.add(entry.feature);
  }
  features.forEach(({ name }, index) => {
    if (!mapped.has(name)) issues.push({ path: `features[${index}]`, message: `feature "${name}" is not mapped to any input` });
  });
  if (inputs.kind === 'per-feature') {
    const fed = inputs.tensors.map(tensorInput);
    fed.forEach((input, i) => {
      if (fed.indexOf(input) < i) {
        const path = inputs.tensors[i]?.input === undefined ? `inputs.tensors[${i}].feature` : `inputs.tensors[${i}].input`;
        issues.push({ path, message: `ONNX input "${input}" is fed more than once` });
      }
    });
  }
  return issues;
}

/** A matrix's columns as written, or else each feature once (a repeated name is reported by duplicateNames). */
function matrixEntries(features: FeatureSpec[], columns: string[] | undefined): { feature: string; path: string }[] {
  if (columns) return columns.map((feature, i) => ({ feature, path: `inputs.columns[${i}]` }));
  return features.flatMap(({ name }, i) =>
    features.findIndex((other) => other.name === name) < i ? [] : [{ feature: name, path: `features[${i}]` }],
  );
}

function outputIssues({ outputs }: ModelSpec): FieldIssue[] {
  if (outputs.kind !== 'classification') return [];
  const issues: FieldIssue[] = outputs.classes.flatMap((name, index) =>
    outputs.classes.indexOf(name) < index ? [{ path: `outputs.classes[${index}]`, message: `duplicate class "${name}"` }] : [],
  );
  if (outputs.labelOutput === undefined && outputs.scoresOutput === undefined) {
    issues.push({ path: 'outputs', message: 'a classifier needs labelOutput, scoresOutput or both' });
  }
  for (const [className, template] of Object.entries(outputs.messages ?? {})) {
    const path = `outputs.messages.${className}`;
    if (!outputs.classes.includes(className)) {
      issues.push({ path, message: `unknown class "${className}"; the classes are: ${outputs.classes.join(', ')}` });
    }
    for (const message of messageProblems(template, outputs)) issues.push({ path, message });
  }
  const { threshold } = outputs;
  if (threshold === undefined) return issues;
  if (outputs.classes.length !== 2) {
    issues.push({ path: 'outputs.threshold', message: `only binary models take a threshold; this one has ${outputs.classes.length} classes` });
  }
  if (outputs.scoresOutput === undefined) {
    issues.push({ path: 'outputs.threshold', message: 'needs scoresOutput: the threshold is compared with the positive class\'s score' });
  }
  if (outputs.scoreKind === 'probabilities' && (threshold < 0 || threshold > 1)) {
    issues.push({ path: 'outputs.threshold', message: `must be a probability from 0 to 1, got ${threshold}` });
  }
  return issues;
}
