// A model store of bundled models served under other names with their spec.json changed: a threshold, messages…
// what a user adds to a spec, tried on real models without another copy of each in test-fixtures.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalModelStore, loadModels } from '@onnx-serve/inference';
import type { BareModels } from './bare-models';
import { bundledModelDir } from './test-server';

// Spec JSON is edited freely here: the loader's parseModelSpec is what judges it.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type SpecJson = any;

export interface SpecVariant {
  /** The bundled model folder whose model.onnx and spec.json are copied. */
  from: string;
  edit(spec: SpecJson): SpecJson;
}

/** `variants` maps a served name to the bundled model it copies and how its spec changes. */
export function specVariantStore(variants: Record<string, SpecVariant>): BareModels {
  const dir = mkdtempSync(join(tmpdir(), 'spec-variants-'));
  for (const [name, { from, edit }] of Object.entries(variants)) {
    const source = join(bundledModelDir, from, '1');
    const target = join(dir, name, '1');
    mkdirSync(target, { recursive: true });
    copyFileSync(join(source, 'model.onnx'), join(target, 'model.onnx'));
    const spec = JSON.parse(readFileSync(join(source, 'spec.json'), 'utf8')) as SpecJson;
    writeFileSync(join(target, 'spec.json'), JSON.stringify(edit(spec)));
  }
  return {
    load: () => loadModels(new LocalModelStore(dir), {}),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** loans-mixed with a 0.4 threshold on P(defaulted) and a message for each class. */
export const strictLoans: SpecVariant = {
  from: 'loans-mixed',
  edit: (spec) => ({
    ...spec,
    outputs: {
      ...spec.outputs,
      threshold: 0.4,
      messages: {
        defaulted: '{probability} chance of default',
        repaid: '{probability:defaulted} chance of default, under the {threshold} threshold: {label}',
      },
    },
  }),
};
