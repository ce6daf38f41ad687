// Starts the real app on a free port over the bundled model store, as the tests' one way to get a server.
import { fileURLToPath } from 'node:url';
import { LocalModelStore, loadModels, type LoadedModel, type ModelRegistry } from '@onnx-serve/inference';
import { bundledModelDir } from '@onnx-serve/testing';
import { createApp } from '../src/app';
import { createSharedServices, earlyRefusal } from '../src/configured-app';
import { createLogger } from '../src/logging/logger';
import { startGrpcServer } from '../src/grpc/grpc-server';
import { defaultProtection, type Protection } from '../src/middleware/protection';
import { ModelCatalog } from '../src/model-catalog';
import { startServer, type RunningServer } from '../src/server';
import { defaultLimits, type ServiceLimits } from '../src/service-limits';

export const workspaceRoot = fileURLToPath(new URL('../../../', import.meta.url));
export { bundledModelDir };

export interface TestServer {
  url: string;
  /** The gRPC server's port, when started with `grpc: true`. */
  grpcPort: number;
  catalog: ModelCatalog;
  logLines: Record<string, unknown>[];
  close(): Promise<void>;
}

/**
 * The fixture models most tests serve: the four examples and the two with missing values. The fixture store holds
 * more (digits, wine), which their own tests load by name.
 */
export const servedFixtureModels = ['cars-lgbm', 'diabetes', 'disaster-tweets', 'iris', 'loans-mixed', 'sentiment'];

/** Every model of the fixture store: what a staged image of it serves. */
export const allFixtureModels = [...servedFixtureModels, 'digits', 'wine'].sort();

export async function loadBundledModels(names: readonly string[] = servedFixtureModels): Promise<ModelRegistry> {
  const store = new LocalModelStore(bundledModelDir);
  const only = {
    scan: async () => {
      const { refs, warnings } = await store.scan();
      return { refs: refs.filter((ref) => names.includes(ref.name)), warnings };
    },
  };
  return loadModels(only, { intraOpNumThreads: 1 });
}

export async function startTestServer(
  options: { registry?: ModelRegistry; limits?: Partial<ServiceLimits>; protection?: Partial<Protection>; grpc?: boolean } = {},
): Promise<TestServer> {
  const logLines: Record<string, unknown>[] = [];
  // The app's own logger, so the hand-written request line (request-line.ts) is what every HTTP test reads.
  const logger = createLogger('info', { write: (line: string) => logLines.push(JSON.parse(line)) });
  const limits = { ...defaultLimits, ...options.limits };
  const catalog = new ModelCatalog(limits);
  if (options.registry) catalog.use(options.registry);
  const protection = { ...defaultProtection, ...options.protection };
  const shared = createSharedServices(catalog, protection);
  const app = createApp({ catalog, logger, limits, appVersion: '1.2.3-test', protection, ...shared });
  const server: RunningServer = await startServer(app, { port: 0, host: '127.0.0.1', answerEarly: earlyRefusal(app, logger, shared) });
  const grpc = options.grpc
    ? await startGrpcServer({ port: 0, host: '127.0.0.1', limits, appVersion: '1.2.3-test', protection }, { catalog, logger, ...shared })
    : undefined;
  return {
    url: `http://127.0.0.1:${server.port}`,
    grpcPort: grpc?.port ?? 0,
    catalog,
    logLines,
    close: async () => {
      await Promise.all([server.close(1_000), grpc?.close(1_000)]);
    },
  };
}

/** Runs of `model` wait for `release` once `entered` resolved: a request or call held in flight as long as a test wants. */
export function gatedRuns(model: LoadedModel) {
  const run = model.run;
  let entered!: () => void;
  let release!: () => void;
  const state = {
    entered: new Promise<void>((resolve) => (entered = resolve)),
    released: new Promise<void>((resolve) => (release = resolve)),
    release: () => release(),
    restore: () => (model.run = run),
  };
  model.run = async (feeds) => {
    entered();
    await state.released;
    return run(feeds);
  };
  return state;
}

// Response bodies are asserted whole in tests, so they are typed loosely here.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type JsonBody = any;

export async function postJson(
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: JsonBody; headers: Headers }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, body: await res.json(), headers: res.headers };
}

export async function getJson(
  url: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: JsonBody; headers: Headers }> {
  const res = await fetch(url, { headers });
  return { status: res.status, body: await res.json(), headers: res.headers };
}
