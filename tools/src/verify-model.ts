// Replays each model version's golden.json through the server's own request path and says, per output, how far
// the served model is from what the original (Python) model returned.
//   npx tsx tools/src/verify-model.ts <version folder | model folder | store folder>
// Exit codes: 0 every golden row passes; 1 some fail the tolerance; 2 usage, or a model or golden file that
// cannot be read or loaded.
import { existsSync, statSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { formatGoldenReport } from '@onnx-serve/feature-spec';
import { LocalModelStore, type ModelRef, loadModel, readGoldenFile, verifyModel } from '@onnx-serve/inference';

export const usage = 'usage: verify-model <path>   (a model version folder, a model folder, or a model store folder)';

const isFile = (path: string) => existsSync(path) && statSync(path).isFile();

/** The versions under `path`: the folder of one version, of one model's versions, or a whole store. */
export async function versionsAt(path: string): Promise<ModelRef[]> {
  // Paths stay as given (reports name them); names come from the resolved folders.
  const full = path;
  const asVersion = (dir: string, name: string, version: string): ModelRef => ({
    name,
    version,
    modelPath: join(dir, 'model.onnx'),
    ...(isFile(join(dir, 'spec.json')) && { specPath: join(dir, 'spec.json') }),
    ...(isFile(join(dir, 'golden.json')) && { goldenPath: join(dir, 'golden.json') }),
  });
  if (isFile(join(full, 'model.onnx'))) return [asVersion(full, basename(dirname(resolve(full))), basename(resolve(full)))];
  const entries = await readdir(full, { withFileTypes: true });
  const versions = entries.filter((e) => e.isDirectory() && isFile(join(full, e.name, 'model.onnx')));
  if (versions.length > 0) return versions.map((e) => asVersion(join(full, e.name), basename(resolve(full)), e.name));
  return new LocalModelStore(full).list();
}

type Outcome = 'passed' | 'failed' | 'unverified' | 'broken';

async function verifyVersion(ref: ModelRef, print: (line: string) => void): Promise<Outcome> {
  const id = `${ref.name}:${ref.version}`;
  if (!ref.goldenPath) {
    print(`${id}: no golden.json beside ${ref.modelPath}: nothing to verify`);
    return 'unverified';
  }
  let model;
  try {
    // The load's own check is off: this command prints the whole report rather than refusing.
    model = await loadModel(ref, { goldenCheck: 'off' });
  } catch (error) {
    print(`${id}: cannot be loaded: ${(error as Error).message}`);
    return 'broken';
  }
  try {
    const golden = await readGoldenFile(ref.goldenPath).catch((error: unknown) => {
      print(`${id}: ${(error as Error).message}`);
      return undefined;
    });
    if (!golden) return 'broken';
    const report = await verifyModel(model, golden);
    print(formatGoldenReport(id, report));
    return report.passed ? 'passed' : 'failed';
  } finally {
    await model.release();
  }
}

/** Runs the CLI; returns the exit code. `print` gets stdout lines, `warn` stderr lines. */
export async function main(argv: readonly string[], print = console.log, warn = console.error): Promise<number> {
  const [path, ...rest] = argv;
  if (!path || path.startsWith('-') || rest.length > 0) {
    warn(usage);
    return 2;
  }
  let refs: ModelRef[];
  try {
    refs = await versionsAt(path);
  } catch (error) {
    warn(`${path}: ${(error as Error).message}`);
    return 2;
  }
  if (refs.length === 0) {
    warn(`${path}: no model versions in it (a version folder holds model.onnx)`);
    return 2;
  }
  const outcomes: Outcome[] = [];
  for (const ref of refs) outcomes.push(await verifyVersion(ref, print));
  const count = (outcome: Outcome) => outcomes.filter((o) => o === outcome).length;
  const parts = [`${count('passed')} passed`, `${count('failed')} failed`];
  if (count('broken') > 0) parts.push(`${count('broken')} could not be read`);
  if (count('unverified') > 0) parts.push(`${count('unverified')} without golden.json`);
  const versions = refs.length === 1 ? '1 model version' : `${refs.length} model versions`;
  print(`${versions}: ${parts.join(', ')}`);
  if (count('broken') > 0) return 2;
  return count('failed') > 0 ? 1 : 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await main(process.argv.slice(2));
}
