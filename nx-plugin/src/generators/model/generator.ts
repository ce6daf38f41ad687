// `nx g @onnx-serve/plugin:model <model> --service=<name> --onnx=<path> [--version=N] [--golden=<file>]
// [--features=a,b,…] [--classes=x,y,…]`: copies the model (and the external data file its graph names, and the
// golden file as golden.json) into services/<service>/models/<model>/<version>/, drafts spec.json from the real
// ONNX signature, and prints what is left to edit. Every option is checked, the model loaded and the spec drafted
// before the tree is touched: a refusal writes nothing.
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { type Tree, logger } from '@nx/devkit';
import { type GoldenFile, SpecError } from '@onnx-serve/feature-spec';
import { draftModelSpec, externalDataLocations, readGoldenFile, urlSafeSegment } from '@onnx-serve/inference';
import { serviceNameProblem } from '@onnx-serve/service-config';
import { GeneratorOptionError } from '../../option-error';

export interface ModelGeneratorSchema {
  model: string;
  service: string;
  onnx: string;
  /** A boolean when it came through `nx g`: see versionOption. */
  version?: string | number | boolean;
  golden?: string;
  features?: string;
  classes?: string;
}

export interface ModelPlan {
  dir: string;
  files: { path: string; content: Buffer | string }[];
  todo: string[];
}

const list = (value: string | undefined, option: string): string[] | undefined => {
  if (value === undefined) return undefined;
  const names = value.split(',').map((name) => name.trim());
  if (names.some((name) => name === '')) throw new GeneratorOptionError(`--${option}=${value}: comma-separated names, none empty`);
  return names;
};

async function readOption(path: string, option: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (error) {
    throw new GeneratorOptionError(`--${option}=${path}: cannot read it (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
}

/**
 * `nx` declares a global boolean `--version`, so `nx g … --version=2` reaches a generator as `version: false`:
 * the value is then read from the command line itself.
 */
export function versionOption(value: ModelGeneratorSchema['version'], argv: readonly string[] = process.argv): string | undefined {
  if (typeof value === 'string' || typeof value === 'number') return String(value);
  if (value === undefined) return undefined;
  const at = argv.findIndex((arg) => arg === '--version' || arg.startsWith('--version='));
  const flag = argv[at] ?? '';
  const given = at < 0 ? undefined : flag.startsWith('--version=') ? flag.slice('--version='.length) : argv[at + 1];
  if (given === undefined) throw new GeneratorOptionError('--version needs a value: --version=<N>');
  return given;
}

function chooseVersion(tree: Tree, modelDir: string, version: string | undefined): string {
  const existing = tree.exists(modelDir) ? tree.children(modelDir).filter((entry) => !entry.startsWith('.')) : [];
  if (version === undefined) {
    if (existing.length === 0) return '1';
    const next = Math.max(0, ...existing.map(Number).filter(Number.isInteger)) + 1;
    throw new GeneratorOptionError(`${modelDir} has version ${existing.join(', ')} already: pass --version=${next} to add one`);
  }
  if (!/^[1-9][0-9]{0,8}$/.test(version)) throw new GeneratorOptionError(`--version=${version}: a positive whole number`);
  if (existing.includes(version)) throw new GeneratorOptionError(`${modelDir}/${version} exists already: versions are never overwritten`);
  return version;
}

/** Everything the generator will write, or a GeneratorOptionError saying why not. Reads `onnx` and `golden` from `cwd`. */
export async function planModel(tree: Tree, schema: ModelGeneratorSchema, cwd = process.cwd()): Promise<ModelPlan> {
  const { model, service } = schema;
  if (!urlSafeSegment.test(model)) {
    throw new GeneratorOptionError(
      `${JSON.stringify(model)} is not a model name: letters, digits, '.', '_' or '-', starting with a letter or digit, at most 64 characters`,
    );
  }
  const serviceProblem = serviceNameProblem(service);
  if (serviceProblem || !tree.exists(`services/${service}/service.json`)) {
    throw new GeneratorOptionError(
      `--service=${service}: no such service (no services/${service}/service.json; create one with npx nx g @onnx-serve/plugin:service)`,
    );
  }
  const modelDir = `services/${service}/models/${model}`;
  const version = chooseVersion(tree, modelDir, versionOption(schema.version));
  const features = list(schema.features, 'features');
  const classes = list(schema.classes, 'classes');

  const onnxPath = resolve(cwd, schema.onnx);
  const bytes = await readOption(onnxPath, 'onnx');
  let dataFiles: string[];
  try {
    dataFiles = externalDataLocations(bytes);
  } catch (error) {
    throw new GeneratorOptionError(`--onnx=${schema.onnx}: not an ONNX model (${(error as Error).message})`);
  }
  const files: ModelPlan['files'] = [];
  for (const file of dataFiles) {
    if (file.includes('/') || file.includes('\\') || file.startsWith('.')) {
      throw new GeneratorOptionError(`--onnx=${schema.onnx}: its external data location ${JSON.stringify(file)} is not a file beside it`);
    }
    files.push({ path: file, content: await readOption(join(dirname(onnxPath), file), 'onnx (its external data file)') });
  }
  const goldenPath = schema.golden === undefined ? undefined : resolve(cwd, schema.golden);
  let golden: GoldenFile | undefined;
  if (goldenPath) {
    const content = await readOption(goldenPath, 'golden');
    try {
      golden = await readGoldenFile(goldenPath);
    } catch (error) {
      throw new GeneratorOptionError(`--golden=${schema.golden}: ${(error as Error).message}`);
    }
    files.push({ path: 'golden.json', content });
  }

  let drafted: Awaited<ReturnType<typeof draftModelSpec>>;
  try {
    drafted = await draftModelSpec(onnxPath, { features, classes, golden });
  } catch (error) {
    // A draft's issues already say which option, golden file or metadata gave the names that do not fit.
    const why = error instanceof SpecError ? error.issues.map((issue) => issue.message).join('; ') : (error as Error).message;
    throw new GeneratorOptionError(`--onnx=${schema.onnx}: ${why}`);
  }
  const dir = `${modelDir}/${version}`;
  files.push({ path: 'model.onnx', content: bytes }, { path: 'spec.json', content: `${JSON.stringify(drafted.spec, null, 2)}\n` });
  const todo = golden ? drafted.todo : [...drafted.todo, 'golden.json: add the rows and what Python predicted for them (see the README), so verify replays them'];
  return { dir, files: files.map((file) => ({ ...file, path: `${dir}/${file.path}` })), todo };
}

export async function modelGenerator(tree: Tree, schema: ModelGeneratorSchema): Promise<void> {
  const { dir, files, todo } = await planModel(tree, schema);
  for (const file of files) tree.write(file.path, file.content);
  logger.info(`${dir}: ${files.map((file) => file.path.slice(dir.length + 1)).join(', ')}`);
  logger.info(`Left to edit in ${dir}/spec.json:\n${todo.map((item) => `  - ${item}`).join('\n')}`);
  logger.info(`Then: npx nx run ${schema.service}:serve   (and npx nx run ${schema.service}:verify once golden.json is there)`);
}

export default modelGenerator;
