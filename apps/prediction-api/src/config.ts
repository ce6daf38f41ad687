// The server's configuration, read once from the environment at the entrypoint and passed down.
import { availableParallelism, tmpdir } from 'node:os';
import { defaultMaxRowsPerRun, goldenChecks, type GoldenCheck } from '@onnx-serve/inference/settings';
import { parseS3Uri, type S3Location } from '@onnx-serve/model-source-s3/settings';
import * as z from 'zod';
import { parseApiKeys } from './middleware/api-keys';
import { defaultProtection, type Protection } from './middleware/protection-settings';
import { defaultLimits, type ServiceLimits } from './service-limits';

const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);
const flag = z.enum(['true', 'false', '1', '0']).default('false').transform((v) => v === 'true' || v === '1');

const serverEnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().min(1).default('0.0.0.0'),
  /** The gRPC server's port (on HOST); `off`: no gRPC server; 0: any free port. */
  GRPC_PORT: z
    .string()
    .default('8081')
    .transform((value, ctx) => {
      if (value === 'off') return null;
      if (/^\d{1,5}$/.test(value) && Number(value) <= 65535) return Number(value);
      ctx.addIssue('must be a port from 0 to 65535, or off');
      return z.NEVER;
    }),
  /** The model store folder; relative paths resolve against the working directory. */
  MODEL_DIR: z.string().min(1).default('models'),
  /** s3://bucket/prefix/: serve the models stored there instead of MODEL_DIR. */
  MODEL_S3_URI: z
    .string()
    .optional()
    .transform((uri, ctx) => {
      if (!uri) return undefined;
      try {
        return parseS3Uri(uri);
      } catch (err) {
        ctx.addIssue((err as Error).message);
        return z.NEVER;
      }
    }),
  /** Least seconds between two checks of MODEL_S3_URI for changed models; 0 = load once. */
  MODEL_REFRESH_SECONDS: z.coerce.number().int().min(0).default(60),
  /** Where the S3 models are mirrored to (on Lambda only /tmp is writable). */
  MODEL_CACHE_DIR: z.string().min(1).default(tmpdir()),
  /** An S3-compatible server instead of AWS S3 (MinIO, LocalStack), as the AWS SDK itself reads it. */
  AWS_ENDPOINT_URL_S3: z.url().optional(),
  AWS_ENDPOINT_URL: z.url().optional(),
  LOG_LEVEL: z.enum(logLevels).default('info'),
  MAX_BODY_BYTES: positiveInt(defaultLimits.maxBodyBytes),
  MAX_INSTANCES: positiveInt(defaultLimits.maxInstances),
  MAX_STRING_LENGTH: positiveInt(defaultLimits.maxStringLength),
  /** Rows per onnxruntime call: bigger batches are split so small requests are not stalled behind them. */
  MAX_ROWS_PER_RUN: positiveInt(defaultMaxRowsPerRun),
  ORT_INTRA_OP_THREADS: positiveInt(1),
  SHUTDOWN_TIMEOUT_MS: positiveInt(10_000),
  /** Worker processes of the node server; 1 = one process, no primary. */
  WEB_CONCURRENCY: positiveInt(availableParallelism()),
  /** Memory to allow each worker (MiB): fewer workers start when the machine cannot hold WEB_CONCURRENCY of them. */
  WORKER_MEMORY_MB: z.coerce.number().int().positive().optional(),
  APP_VERSION: z.string().min(1).optional(),
  /** Comma-separated raw keys or sha256:<64 hex>; unset or empty = no key needed. */
  API_KEYS: z
    .string()
    .optional()
    .transform((list, ctx) => {
      try {
        return parseApiKeys(list);
      } catch (err) {
        ctx.addIssue((err as Error).message);
        return z.NEVER;
      }
    }),
  METRICS_PUBLIC: flag,
  /** 0 = no rate limit. */
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(0).default(0),
  RATE_LIMIT_BURST: z.coerce.number().int().positive().optional(),
  TRUST_PROXY: flag,
  /** 0 = no timeout. */
  REQUEST_TIMEOUT_MS: z.coerce.number().int().min(0).default(defaultProtection.requestTimeoutMs),
  /** Requests one worker runs at once; past it 503 overloaded. 0 = no limit. */
  MAX_IN_FLIGHT: z.coerce.number().int().min(0).default(defaultProtection.maxInFlight),
  /** While the event loop is saturated, requests past this many in flight get 503 overloaded too. 0 = off. */
  SATURATED_IN_FLIGHT: z.coerce.number().int().min(0).default(defaultProtection.saturatedInFlight),
  /** A model version whose golden.json rows fail: refused (refuse), served with a warning (warn), not checked (off). */
  GOLDEN_CHECK: z.enum(goldenChecks).default('refuse'),
  npm_package_version: z.string().min(1).optional(),
});

export interface ServerConfig {
  port: number;
  host: string;
  /** null: GRPC_PORT=off. */
  grpcPort: number | null;
  modelDir: string;
  /** Models from S3 instead of modelDir; null when MODEL_S3_URI is unset. */
  s3Models: S3ModelsConfig | null;
  logLevel: (typeof logLevels)[number];
  appVersion: string;
  limits: ServiceLimits;
  maxRowsPerRun: number;
  intraOpThreads: number;
  shutdownTimeoutMs: number;
  /** How many processes the node server runs (the Lambda handler is always one). */
  workers: WorkersConfig;
  protection: Protection;
  /** What a model version whose golden rows fail gets at load. */
  goldenCheck: GoldenCheck;
}

export interface WorkersConfig {
  /** WEB_CONCURRENCY: the worker processes wanted. */
  wanted: number;
  /** WORKER_MEMORY_MB: memory to allow each; null = no cap by memory. */
  memoryMbEach: number | null;
}

export interface S3ModelsConfig {
  location: S3Location;
  refreshSeconds: number;
  cacheDir: string;
  endpoint: string | undefined;
}

export function readServerConfig(env: Record<string, string | undefined>): ServerConfig {
  const parsed = serverEnvSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`invalid configuration: ${problems.join('; ')}`);
  }
  const e = parsed.data;
  return {
    port: e.PORT,
    host: e.HOST,
    grpcPort: e.GRPC_PORT,
    modelDir: e.MODEL_DIR,
    s3Models: e.MODEL_S3_URI
      ? {
          location: e.MODEL_S3_URI,
          refreshSeconds: e.MODEL_REFRESH_SECONDS,
          cacheDir: e.MODEL_CACHE_DIR,
          endpoint: e.AWS_ENDPOINT_URL_S3 ?? e.AWS_ENDPOINT_URL,
        }
      : null,
    logLevel: e.LOG_LEVEL,
    appVersion: e.APP_VERSION ?? e.npm_package_version ?? '0.0.0-dev',
    limits: { maxBodyBytes: e.MAX_BODY_BYTES, maxInstances: e.MAX_INSTANCES, maxStringLength: e.MAX_STRING_LENGTH },
    maxRowsPerRun: e.MAX_ROWS_PER_RUN,
    intraOpThreads: e.ORT_INTRA_OP_THREADS,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    workers: { wanted: e.WEB_CONCURRENCY, memoryMbEach: e.WORKER_MEMORY_MB ?? null },
    goldenCheck: e.GOLDEN_CHECK,
    protection: {
      apiKeys: e.API_KEYS,
      metricsPublic: e.METRICS_PUBLIC,
      rateLimit:
        e.RATE_LIMIT_PER_MINUTE > 0
          ? { perMinute: e.RATE_LIMIT_PER_MINUTE, burst: e.RATE_LIMIT_BURST ?? e.RATE_LIMIT_PER_MINUTE }
          : null,
      trustProxy: e.TRUST_PROXY,
      requestTimeoutMs: e.REQUEST_TIMEOUT_MS,
      maxInFlight: e.MAX_IN_FLIGHT,
      saturatedInFlight: e.SATURATED_IN_FLIGHT,
    },
  };
}
