// The server's configuration, read once from the environment at the entrypoint and passed down.
import { z } from 'zod';

const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);

const serverEnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().min(1).default('0.0.0.0'),
  /** The model store folder; relative paths resolve against the working directory. */
  MODEL_DIR: z.string().min(1).default('models'),
  LOG_LEVEL: z.enum(logLevels).default('info'),
  MAX_BODY_BYTES: positiveInt(1024 * 1024),
  MAX_INSTANCES: positiveInt(10_000),
  MAX_STRING_LENGTH: positiveInt(10_000),
  /** Rows per onnxruntime call: bigger batches are split so small requests are not stalled behind them. */
  MAX_ROWS_PER_RUN: positiveInt(256),
  ORT_INTRA_OP_THREADS: positiveInt(1),
  SHUTDOWN_TIMEOUT_MS: positiveInt(10_000),
  APP_VERSION: z.string().min(1).optional(),
  npm_package_version: z.string().min(1).optional(),
});

export interface ServerConfig {
  port: number;
  host: string;
  modelDir: string;
  logLevel: (typeof logLevels)[number];
  appVersion: string;
  limits: ServiceLimits;
  maxRowsPerRun: number;
  intraOpThreads: number;
  shutdownTimeoutMs: number;
}

/** Limits that the app itself enforces on every request. */
export interface ServiceLimits {
  maxBodyBytes: number;
  maxInstances: number;
  maxStringLength: number;
}

export const defaultLimits: ServiceLimits = { maxBodyBytes: 1024 * 1024, maxInstances: 10_000, maxStringLength: 10_000 };

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
    modelDir: e.MODEL_DIR,
    logLevel: e.LOG_LEVEL,
    appVersion: e.APP_VERSION ?? e.npm_package_version ?? '0.0.0-dev',
    limits: { maxBodyBytes: e.MAX_BODY_BYTES, maxInstances: e.MAX_INSTANCES, maxStringLength: e.MAX_STRING_LENGTH },
    maxRowsPerRun: e.MAX_ROWS_PER_RUN,
    intraOpThreads: e.ORT_INTRA_OP_THREADS,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
  };
}
