// The fast path may only ever accept what the zod schema accepts, with the same row and the same defaults:
// random instances (canonical, converted, missing, unknown, out of range, wrong type) go through both.
import { describe, expect, it } from 'vitest';
import { loadSpec } from '../test/example-models';
import { perFeatureInputs } from '../test/test-helpers';
import { compileFastInstanceCheck } from './fast-instance-check';
import { exampleInstance, instanceSchema } from './instance-schema';
import type { ModelSpec } from './model-spec';
import { parseModelSpec } from './parse-model-spec';

/** A small deterministic PRNG (mulberry32), so a failure names a reproducible case. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const candidates: unknown[] = [
  0, -0, 1, -1, 0.5, 2.5, 3, 5.1, 11, 1e9, 2 ** 53, -0.6, 0.2, Infinity, NaN, '5.1', '', 'x', 'flood', 'red',
  'y'.repeat(40), true, false, 'true', null, undefined, [], {}, [1],
];

const mixed = parseModelSpec(
  {
    features: [
      { name: 'rooms', type: 'integer', minimum: 0, maximum: 12 },
      { name: 'area', type: 'number', minimum: -1, maximum: 10, default: 2.5 },
      { name: 'garden', type: 'boolean', default: false },
      { name: 'colour', type: 'string', enum: ['red', 'green'] },
      { name: 'note', type: 'string', maxLength: 30, default: '' },
    ],
    inputs: perFeatureInputs({ rooms: 'int64', area: 'float32', garden: 'bool', colour: 'string', note: 'string' }),
    outputs: { kind: 'regression', output: 'price' },
  },
  'mixed.json',
);

// Numbers fed as NaN when missing, next to a string whose missing value is its default.
const imputed = parseModelSpec(
  {
    features: [
      { name: 'income', type: 'number', minimum: 0, missing: 'nan' },
      { name: 'owners', type: 'integer', maximum: 9, missing: 'nan' },
      { name: 'home', type: 'string', default: '' },
      { name: 'term', type: 'string', enum: ['36 months', '60 months'] },
    ],
    inputs: perFeatureInputs({ income: 'float32', owners: 'float64', home: 'string', term: 'string' }),
    outputs: { kind: 'regression', output: 'y' },
  },
  'imputed.json',
);

function agreesWithSchema(spec: ModelSpec, maxStringLength: number | undefined, seed: number): number {
  const fast = compileFastInstanceCheck(spec, maxStringLength);
  const schema = instanceSchema(spec, { maxStringLength });
  const next = random(seed);
  const pick = () => candidates[Math.floor(next() * candidates.length)];
  let accepted = 0;
  for (let i = 0; i < 3000; i++) {
    // A valid instance with a few fields changed: missing, or any candidate value.
    const instance: Record<string, unknown> = { ...exampleInstance(spec) };
    for (const feature of spec.features) {
      const roll = next();
      if (roll < 0.05) delete instance[feature.name];
      else if (roll < 0.2) instance[feature.name] = pick();
    }
    if (next() < 0.05) instance['unknown_field'] = 1;
    const result = fast(instance);
    if (!result) continue;
    accepted++;
    const parsed = schema.safeParse(instance);
    expect(parsed.success, JSON.stringify(instance)).toBe(true);
    expect(result.row, JSON.stringify(instance)).toEqual(parsed.data);
    const sentMissing = spec.features.filter((f) => f.default !== undefined && (instance[f.name] ?? null) === null);
    expect(result.defaulted).toEqual(sentMissing.map((f) => f.name));
    const sentNan = spec.features.filter((f) => f.missing === 'nan' && (instance[f.name] ?? null) === null);
    expect(result.missing).toEqual(sentNan.map((f) => f.name));
  }
  return accepted;
}

describe('compileFastInstanceCheck', () => {
  it('accepts only what the zod schema accepts, with the same row, defaults and NaNs (bundled specs and two more)', () => {
    const specs = [loadSpec('diabetes'), loadSpec('iris'), loadSpec('sentiment'), loadSpec('disaster-tweets'), mixed, imputed];
    // How many of the seeded random instances both accepted (the rest both refused), without and with a string limit.
    expect(specs.map((spec, i) => [agreesWithSchema(spec, undefined, i + 1), agreesWithSchema(spec, 20, i + 100)])).toEqual([
      [381, 360],
      [1429, 1426],
      [2404, 108],
      [1862, 52],
      [1356, 1353],
      [1647, 1607],
    ]);
  });

  it('leaves numeric strings, unknown fields and out-of-range values to the schema', () => {
    const fast = compileFastInstanceCheck(loadSpec('iris'));
    const iris = { sepal_length: 5.1, sepal_width: 3.5, petal_length: 1.4, petal_width: 0.2 };
    expect(fast(iris)).toEqual({ row: iris, defaulted: [], missing: [] });
    expect(fast({ ...iris, sepal_length: '5.1' })).toBeUndefined();
    expect(fast({ ...iris, extra: 1 })).toBeUndefined();
    expect(fast({ ...iris, petal_width: 11 })).toBeUndefined();
    expect(fast({ ...iris, petal_width: undefined })).toBeUndefined();
  });
});
