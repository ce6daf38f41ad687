// Looks at an ONNX file the way the server will: what patchOnnxModel changes, the signature onnxruntime reports
// once patched, and a starting spec.json drafted from it.
//   npx tsx --tsconfig tsconfig.base.json tools/src/inspect-model.ts <model.onnx> [--write <spec.json>]
import { existsSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type ModelSignature, type ModelSpec, type TensorSignature, draftSpecFromSignature } from '@onnx-serve/feature-spec';
import { type LoadedModel, loadModel } from '@onnx-serve/inference';

export const usage = 'usage: inspect-model <model.onnx> [--write <spec.json>]';

interface Args {
  modelPath: string;
  writePath?: string;
}

function parseArgs(argv: readonly string[]): Args | string {
  const [modelPath, flag, writePath, ...rest] = argv;
  if (!modelPath || modelPath.startsWith('-')) return usage;
  if (flag === undefined) return { modelPath };
  if (flag !== '--write' || !writePath || rest.length > 0) return usage;
  return { modelPath, writePath };
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
  let model: LoadedModel;
  try {
    model = await loadModel({ name: basename(args.modelPath, '.onnx'), version: '1', modelPath: args.modelPath });
  } catch (error) {
    warn((error as Error).message);
    return 1;
  }
  try {
    describeModel(model, args.modelPath).forEach((line) => print(line));
    let draft: ModelSpec;
    try {
      draft = draftSpecFromSignature(model.signature).spec;
    } catch (error) {
      print(`no spec can be drafted: ${(error as Error).message}`);
      return args.writePath ? 1 : 0;
    }
    const json = `${JSON.stringify(draft, null, 2)}\n`;
    if (args.writePath) {
      writeFileSync(args.writePath, json);
      print(`draft spec written to ${args.writePath}: rename features and classes, add descriptions and bounds`);
    } else {
      print('draft spec (save it as spec.json next to model.onnx, then edit it):');
      print(json.trimEnd());
    }
    return 0;
  } finally {
    await model.release();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await main(process.argv.slice(2));
}
