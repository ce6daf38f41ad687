// A model store in S3, served from a local mirror: synced and loaded once at start, then re-checked at most
// every `refreshSeconds` (one listing; objects are fetched only when their ETag changed). A changed store is
// loaded whole into a new registry, which replaces the serving one only if every model in it loads; otherwise
// the old registry keeps serving and the failure is logged. The caller serves each registry it is handed (by
// start, and by a refresh that reloaded); the one it replaces is released after a grace period, so requests
// still running on it can finish.
import { createHash } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import { LocalModelStore, loadModels, type LoadModelsOptions, type ModelRegistry } from '@onnx-serve/inference';
import type { S3Location } from './s3-location';
import { s3Sdk } from './s3-sdk';
import { type LocalManifest, syncChanged, syncPrefix } from './s3-sync';

/** The few log calls this source makes; a pino logger fits. */
export interface SourceLogger {
  info(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

export interface S3ModelSourceOptions {
  /** s3://bucket/prefix/ (from parseS3Uri) laid out as the local store: <name>/<version>/model.onnx (+ spec.json), or <name>.onnx. */
  location: S3Location;
  /** The local mirror goes in a folder of its own below this one, wiped at start. */
  cacheDir: string;
  /** Least time between two checks of the bucket; 0 never checks again after start. */
  refreshSeconds: number;
  loadOptions?: LoadModelsOptions;
  /** How long a replaced registry stays loaded for the requests still using it. Default 60 s. */
  releaseDelayMs?: number;
  /** An S3-compatible server (MinIO, LocalStack, s3rver): addressed path-style. Default: AWS S3. */
  endpoint?: string;
  /** A client of your own; otherwise one is made from `endpoint` and the SDK's environment (region, credentials). */
  client?: S3Client;
  logger?: SourceLogger;
}

export type RefreshOutcome =
  | { status: 'not-due' }
  | { status: 'unchanged' }
  /** `registry` is to be served from now on: the one it replaces is released after `releaseDelayMs`. */
  | { status: 'reloaded'; registry: ModelRegistry; downloaded: string[]; removed: string[] }
  | { status: 'failed'; error: Error };

export interface StartResult {
  /** The registry to serve. */
  registry: ModelRegistry;
  downloaded: string[];
  /** Keys under the prefix that are not store files. */
  ignored: string[];
}

const silent: SourceLogger = { info: () => undefined, error: () => undefined };

export class S3ModelSource {
  readonly localDir: string;
  private client: Promise<S3Client> | undefined;
  private readonly logger: SourceLogger;
  private readonly manifest: LocalManifest = new Map();
  private serving: ModelRegistry | undefined;
  private lastCheckAt = Number.NEGATIVE_INFINITY;
  private refreshing: Promise<RefreshOutcome> | undefined;
  private readonly retiring = new Map<ModelRegistry, NodeJS.Timeout>();

  constructor(private readonly options: S3ModelSourceOptions) {
    const id = createHash('sha256').update(options.location.uri).digest('hex').slice(0, 12);
    this.localDir = join(options.cacheDir, `s3-models-${id}`);
    this.logger = options.logger ?? silent;
  }

  /** The first sync and load; rejects (naming the bucket or the model) when the store cannot be served. */
  async start(): Promise<StartResult> {
    // A mirror left by an earlier process may hold files the bucket no longer has.
    await rm(this.localDir, { recursive: true, force: true });
    await mkdir(this.localDir, { recursive: true });
    this.lastCheckAt = Date.now();
    const sync = await syncPrefix(await this.s3(), this.options.location, this.localDir, this.manifest).catch((error: unknown) => {
      throw new Error(`cannot read the model store ${this.options.location.uri}: ${(error as Error).message}`, { cause: error });
    });
    const registry = await this.load();
    this.replaceServing(registry);
    return { registry, downloaded: sync.downloaded, ignored: sync.ignored };
  }

  /**
   * Checks the bucket if `refreshSeconds` have passed since the last check; otherwise answers at once without
   * any I/O. Never rejects: a failed check or load is logged and reported, and the old models keep serving.
   */
  refreshIfDue(now = Date.now()): Promise<RefreshOutcome> {
    if (this.refreshing) return this.refreshing;
    const intervalMs = this.options.refreshSeconds * 1000;
    if (intervalMs <= 0 || now - this.lastCheckAt < intervalMs) return Promise.resolve({ status: 'not-due' });
    return this.refresh();
  }

  /** Checks the bucket now (a check already running is shared, not repeated, and so is its outcome). */
  refresh(): Promise<RefreshOutcome> {
    this.refreshing ??= this.check().finally(() => {
      this.refreshing = undefined;
    });
    return this.refreshing;
  }

  /** Releases every registry this source loaded (the serving one too): for shutdown and tests. */
  async close(): Promise<void> {
    await this.refreshing;
    for (const timer of this.retiring.values()) clearTimeout(timer);
    const registries = [...this.retiring.keys(), ...(this.serving ? [this.serving] : [])];
    this.retiring.clear();
    this.serving = undefined;
    await Promise.all(registries.map((r) => r.releaseAll()));
  }

  private async check(): Promise<RefreshOutcome> {
    this.lastCheckAt = Date.now();
    const { uri } = this.options.location;
    try {
      const sync = await syncPrefix(await this.s3(), this.options.location, this.localDir, this.manifest);
      if (!syncChanged(sync)) return { status: 'unchanged' };
      const registry = await this.load();
      this.replaceServing(registry);
      const models = registry.list().map((m) => ({ name: m.name, versions: m.versions }));
      this.logger.info({ uri, downloaded: sync.downloaded, removed: sync.removed, models }, 'models refreshed from S3');
      return { status: 'reloaded', registry, downloaded: sync.downloaded, removed: sync.removed };
    } catch (caught) {
      const error = caught instanceof Error ? caught : new Error(String(caught));
      this.logger.error({ uri, err: error }, 'model refresh failed: the models already loaded keep serving');
      return { status: 'failed', error };
    }
  }

  /** The client given, or one made from `endpoint` and the SDK's environment once the SDK is imported. */
  private s3(): Promise<S3Client> {
    const { client, endpoint } = this.options;
    this.client ??= client ? Promise.resolve(client) : s3Sdk().then(({ S3Client }) => new S3Client({ endpoint, forcePathStyle: endpoint !== undefined }));
    return this.client;
  }

  private load(): Promise<ModelRegistry> {
    return loadModels(new LocalModelStore(this.localDir), this.options.loadOptions);
  }

  /** The caller is handed `registry` next: the one it served until now is released after the grace period. */
  private replaceServing(registry: ModelRegistry): void {
    const previous = this.serving;
    this.serving = registry;
    if (previous) this.retire(previous);
  }

  private retire(registry: ModelRegistry): void {
    const timer = setTimeout(() => {
      this.retiring.delete(registry);
      registry.releaseAll().catch((error: unknown) => this.logger.error({ err: error }, 'releasing replaced models failed'));
    }, this.options.releaseDelayMs ?? 60_000);
    // A pending release must not keep a process (or a test run) alive.
    timer.unref();
    this.retiring.set(registry, timer);
  }
}
