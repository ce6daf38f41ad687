// Looks at an ONNX file the way the server will: what patchOnnxModel changes, the signature onnxruntime reports
// once patched, and a starting spec.json drafted by draftModelSpec, with what is left to edit in it.
//   npx tsx --tsconfig tsconfig.base.json tools/src/inspect-model.ts <model.onnx> [--features a,b,…]
//     [--classes x,y,…] [--golden <golden.json>] [--write <spec.json>]
// Exits 0 having printed it all; 1 when the model cannot be read, or a draft asked for (--write or a naming
// option) cannot be made; 2 on bad arguments.
import { existsSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs as parseNodeArgs } from 'node:util';
import type { ModelSignature, TensorSignature } from '@onnx-serve/feature-spec';
import { type DraftOptions, type DraftResult, type LoadedModel, draftModelSpec, loadModel, readGoldenFile } from '@onnx-serve/inference';

export const usage =
  'usage: inspect-model <model.onnx> [--features a,b,…] [--classes x,y,…] [--golden <golden.json>] [--write <spec.json>]';

interface Args {
  modelPath: string;
  features?: string[];
  classes?: string[];
  goldenPath?: string;
  writePath?: string;
}

function parseArgs(argv: readonly string[]): Args | string {
  let parsed;
  try {
    parsed = parseNodeArgs({
      args: [...argv],
      allowPositionals: true,
      options: { features: { type: 'string' }, classes: { type: 'string' }, golden: { type: 'string' }, write: { type: 'string' } },
    });
  } catch {
    return usage;
  }
  const [modelPath, ...rest] = parsed.positionals;
  if (!modelPath || rest.length > 0) return usage;
  const { features, classes, golden, write } = parsed.values;
  const list = (value: string | undefined) => value?.split(',').map((name) => name.trim());
  return { modelPath, features: list(features), classes: list(classes), goldenPath: golden, writePath: write };
}

function tensorLine(t: TensorSignature): string {
  const shape = `[${t.shape.map((d, axis) => d ?? (axis === 0 ? 'N' : '?')).join(',')}]`;
  const classes = t.zipMapClasses ? `  (ZipMap classes: ${t.zipMapClasses.join(', ')})` : '';
  return `  ${t.name}  ${t.dtype} ${shape}${classes}`;
}

export function describeModel(model: Pick<LoadedModel, 'sha256' | 'signature' | 'patches'>, modelPath: string): string[] {
  const { inputs, outputs }: ModelSignature = model.signature;
  return [
    `model: ${modelPath}`,
    `sha256: ${model.sha256}`,
    'inputs:',
    ...inputs.map(tensorLine),
    'outputs:',
    ...outputs.map(tensorLine),
    'patches (applied at load):',
    ...(model.patches.length > 0 ? model.patches.map((p) => `  ${p}`) : ['  none: onnxruntime runs the file as it is']),
  ];
}

/** Runs the CLI; returns the exit code. `print` gets stdout lines, `warn` stderr lines. */
export async function main(argv: readonly string[], print = console.log, warn = console.error): Promise<number> {
  const args = parseArgs(argv);
  if (typeof args === 'string') {
    warn(args);
    return 2;
  }
  if (args.writePath && existsSync(args.writePath)) {
    warn(`${args.writePath} exists: not overwriting a spec that may hold edits`);
    return 1;
  }
  const options: DraftOptions = { features: args.features, classes: args.classes };
  if (args.goldenPath) {
    try {
      options.golden = await readGoldenFile(args.goldenPath);
    } catch (error) {
      warn(`cannot read the golden file ${args.goldenPath}: ${(error as Error).message}`);
      return 1;
    }
  }
  let model: LoadedModel;
  try {
    model = await loadModel({ name: basename(args.modelPath, '.onnx'), version: '1', modelPath: args.modelPath });
  } catch (error) {
    warn((error as Error).message);
    return 1;
  }
  try {
    describeModel(model, args.modelPath).forEach((line) => print(line));
  } finally {
    await model.release();
  }
  let draft: DraftResult;
  try {
    draft = await draftModelSpec(args.modelPath, options);
  } catch (error) {
    print(`no spec can be drafted: ${(error as Error).message}`);
    const asked = args.writePath || args.features || args.classes || args.goldenPath;
    return asked ? 1 : 0;
  }
  const json = `${JSON.stringify(draft.spec, null, 2)}\n`;
  if (args.writePath) {
    writeFileSync(args.writePath, json);
    print(`draft spec written to ${args.writePath}`);
  } else {
    print('draft spec (save it as spec.json next to model.onnx, then edit it):');
    print(json.trimEnd());
  }
  print('left to edit:');
  draft.todo.forEach((line) => print(`  - ${line}`));
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await main(process.argv.slice(2));
}
