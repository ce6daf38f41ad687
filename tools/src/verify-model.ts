// Replays each model version's golden.json through the server's own request path and says, per output, how far
// the served model is from what the original (Python) model returned: in-process, or over HTTP against a running
// server (--url, a deployed endpoint too) or one it starts on the folder itself (--serve).
//   npx tsx tools/src/verify-model.ts [--serve | --url <base> [--api-key <key>]] <version folder | model folder | store folder>
// Exit codes: 0 every golden row passes; 1 some fail the tolerance; 2 usage, a model or golden file that cannot
// be read or loaded, or a server that cannot be reached or asked (a key missing or refused).
import { existsSync, statSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createPredictionClient } from '@onnx-serve/api-contract';
import { defaultMaxInstances, formatGoldenReport, type GoldenFile } from '@onnx-serve/feature-spec';
import { LocalModelStore, type ModelRef, loadModel, readGoldenFile, verifyModel } from '@onnx-serve/inference';
import { serveStore } from './serve-store';
import { EndpointError, verifyOverHttp } from './verify-over-http';

export const usage = [
  'usage: verify-model [--serve | --url <base> [--api-key <key>]] <path>',
  '  <path>            a model version folder, a model folder, or a model store folder',
  '  --url <base>      replay over HTTP against the server at <base> (http://localhost:8080, an API Gateway stage URL)',
  '  --api-key <key>   sent as x-api-key with --url (default: env API_KEY)',
  '  --serve           start the server on <path> (a store folder), replay over HTTP, stop it',
].join('\n');

const isFile = (path: string) => existsSync(path) && statSync(path).isFile();

/** Whether `path` is a model store (not one version's folder, nor one model's): what a server's MODEL_DIR is. */
async function isStoreFolder(path: string): Promise<boolean> {
  if (isFile(join(path, 'model.onnx'))) return false;
  const entries = await readdir(path, { withFileTypes: true });
  return !entries.some((e) => e.isDirectory() && isFile(join(path, e.name, 'model.onnx')));
}

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
  return (await new LocalModelStore(full).scan()).refs;
}

type Outcome = 'passed' | 'failed' | 'unverified' | 'broken';

/** One version's golden rows replayed: in-process, or over HTTP. Returns the report's lines and its verdict. */
type Replay = (ref: ModelRef, golden: GoldenFile) => Promise<{ text: string; passed: boolean }>;

const inProcess: Replay = async (ref, golden) => {
  // The load's own check is off: this command prints the whole report rather than refusing.
  const model = await loadModel(ref, { goldenCheck: 'off' }).catch((error: unknown) => {
    throw new Error(`cannot be loaded: ${(error as Error).message}`, { cause: error });
  });
  try {
    const report = await verifyModel(model, golden);
    return { text: formatGoldenReport(`${ref.name}:${ref.version}`, report), passed: report.passed };
  } finally {
    await model.release();
  }
};

function overHttp(baseUrl: string, apiKey: string | undefined): Replay {
  const client = createPredictionClient({ baseUrl, ...(apiKey !== undefined && { apiKey }) });
  // The server's own limit, when this environment sets it (as it does for --serve's child), else its default.
  const maxInstances = Number(process.env['MAX_INSTANCES']) > 0 ? Math.floor(Number(process.env['MAX_INSTANCES'])) : defaultMaxInstances;
  return async (ref, golden) => {
    const { report, notCompared } = await verifyOverHttp(client, baseUrl, ref, golden, maxInstances);
    const lines = [formatGoldenReport(`${ref.name}:${ref.version}`, report)];
    if (notCompared.length > 0) lines.push(`  not in the v1 answer (compared in-process only): ${notCompared.join(', ')}`);
    return { text: lines.join('\n'), passed: report.passed };
  };
}

async function verifyVersion(ref: ModelRef, replay: Replay, print: (line: string) => void): Promise<Outcome> {
  const id = `${ref.name}:${ref.version}`;
  if (!ref.goldenPath) {
    print(`${id}: no golden.json beside ${ref.modelPath}: nothing to verify`);
    return 'unverified';
  }
  let golden: GoldenFile;
  try {
    golden = await readGoldenFile(ref.goldenPath);
  } catch (error) {
    print(`${id}: ${(error as Error).message}`);
    return 'broken';
  }
  try {
    const { text, passed } = await replay(ref, golden);
    print(text);
    return passed ? 'passed' : 'failed';
  } catch (error) {
    if (error instanceof EndpointError) throw error;
    print(`${id}: ${(error as Error).message}`);
    return 'broken';
  }
}

interface Args {
  path: string;
  serve: boolean;
  url?: string;
  apiKey?: string;
}

function parseArgs(argv: readonly string[]): Args | undefined {
  const args: Partial<Args> = { serve: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--serve') args.serve = true;
    else if (arg === '--url' || arg === '--api-key') {
      const value = argv[++i];
      if (value === undefined || value.startsWith('-')) return undefined;
      if (arg === '--url') args.url = value;
      else args.apiKey = value;
    } else if (arg.startsWith('-') || args.path !== undefined) return undefined;
    else args.path = arg;
  }
  if (!args.path || (args.serve && args.url !== undefined) || (args.apiKey !== undefined && args.url === undefined)) return undefined;
  return args as Args;
}

/** Runs the CLI; returns the exit code. `print` gets stdout lines, `warn` stderr lines. */
export async function main(argv: readonly string[], print = console.log, warn = console.error): Promise<number> {
  const args = parseArgs(argv);
  if (!args) {
    warn(usage);
    return 2;
  }
  const { path } = args;
  if (args.url !== undefined && !/^https?:\/\/[^/]/.test(args.url)) {
    warn(`--url ${args.url}: not an http:// or https:// URL`);
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
  let served;
  if (args.serve) {
    if (!(await isStoreFolder(path))) {
      warn(`--serve ${path}: a server serves a store folder (<model>/<version>/model.onnx in it), not one model or version`);
      return 2;
    }
    try {
      served = await serveStore(path);
    } catch (error) {
      warn((error as Error).message);
      return 2;
    }
  }
  try {
    const baseUrl = served?.baseUrl ?? args.url;
    const replay = baseUrl === undefined ? inProcess : overHttp(baseUrl, args.apiKey ?? (process.env['API_KEY'] || undefined));
    if (baseUrl !== undefined) print(`golden rows over HTTP: ${served ? `${path} served at ` : ''}${baseUrl}`);
    const outcomes: Outcome[] = [];
    for (const ref of refs) outcomes.push(await verifyVersion(ref, replay, print));
    const count = (outcome: Outcome) => outcomes.filter((o) => o === outcome).length;
    const parts = [`${count('passed')} passed`, `${count('failed')} failed`];
    if (count('broken') > 0) parts.push(`${count('broken')} could not be read`);
    if (count('unverified') > 0) parts.push(`${count('unverified')} without golden.json`);
    const versions = refs.length === 1 ? '1 model version' : `${refs.length} model versions`;
    print(`${versions}: ${parts.join(', ')}`);
    if (count('broken') > 0) return 2;
    return count('failed') > 0 ? 1 : 0;
  } catch (error) {
    if (!(error instanceof EndpointError)) throw error;
    warn(error.message);
    return 2;
  } finally {
    await served?.stop();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await main(process.argv.slice(2));
}
