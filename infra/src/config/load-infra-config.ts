// Reads one environment's config file, lays the image digests from the environment over it (CI learns them
// only after pushing) and validates the result. Only main.ts calls this; stacks get typed props.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { infraConfigSchema, type InfraConfig } from './infra-config';

export class InfraConfigError extends Error {
  override readonly name = 'InfraConfigError';
}

export interface ConfigSource {
  /** Folder holding `<environment>.json`. */
  readonly configDir: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly readText?: (path: string) => string;
}

export function loadInfraConfig({ configDir, env, readText = (path) => readFileSync(path, 'utf8') }: ConfigSource): InfraConfig {
  const environment = env['INFRA_ENV'] || 'dev';
  if (!/^[a-z][a-z0-9-]*$/.test(environment)) {
    throw new InfraConfigError(`INFRA_ENV must name a config file in ${configDir} (like dev), got "${environment}"`);
  }
  const path = join(configDir, `${environment}.json`);
  const raw = parseJson(path, readText);
  const config = withDigestsFromEnv(raw, env);
  const result = infraConfigSchema.safeParse(config);
  if (!result.success) {
    throw new InfraConfigError(`invalid infra config ${path}:\n${z.prettifyError(result.error)}`);
  }
  if (result.data.environment !== environment) {
    throw new InfraConfigError(`${path} says environment "${result.data.environment}" but INFRA_ENV is "${environment}"`);
  }
  return result.data;
}

function parseJson(path: string, readText: (path: string) => string): unknown {
  let text: string;
  try {
    text = readText(path);
  } catch (cause) {
    throw new InfraConfigError(`cannot read infra config ${path}`, { cause });
  }
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new InfraConfigError(`infra config ${path} is not valid JSON`, { cause });
  }
}

// Digests come from the environment when set, so CI deploys exactly what it pushed without editing files.
function withDigestsFromEnv(raw: unknown, env: ConfigSource['env']): unknown {
  if (typeof raw !== 'object' || raw === null) return raw;
  const config = raw as Record<string, unknown>;
  const overlay = (section: string, variable: string) => {
    const value = env[variable];
    const current = config[section];
    if (!value || typeof current !== 'object' || current === null) return current;
    return { ...current, imageDigest: value };
  };
  return {
    ...config,
    lambdaApi: overlay('lambdaApi', 'LAMBDA_IMAGE_DIGEST'),
    ec2Api: overlay('ec2Api', 'SERVER_IMAGE_DIGEST'),
  };
}
