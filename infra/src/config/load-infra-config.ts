// Reads one environment's committed config and its account values (environment variables over the ignored
// config/<env>.local.json), validating both. Only the entrypoints call this; stacks get typed props.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as z from 'zod';
import { ACCOUNT_VALUES, accountSchema, environmentConfigSchema, type AccountKey, type AccountValues, type InfraConfig } from './infra-config';

export class InfraConfigError extends Error {
  override readonly name = 'InfraConfigError';
}

type Env = Readonly<Record<string, string | undefined>>;

export interface ConfigSource {
  /** Folder holding `<environment>.json` and, optionally, `<environment>.local.json`. */
  readonly configDir: string;
  readonly env: Env;
  /** Reads a file, or returns undefined when it does not exist. */
  readonly readText?: (path: string) => string | undefined;
}

export const environmentOf = (env: Env): string => {
  const environment = env['INFRA_ENV'] || 'dev';
  if (!/^[a-z][a-z0-9-]*$/.test(environment)) {
    throw new InfraConfigError(`INFRA_ENV must name a config file in infra/config (like dev), got "${environment}"`);
  }
  return environment;
};

export function loadInfraConfig({ configDir, env, readText = readIfExists }: ConfigSource): InfraConfig {
  const environment = environmentOf(env);
  const path = join(configDir, `${environment}.json`);
  const text = readText(path);
  if (text === undefined) throw new InfraConfigError(`cannot read infra config ${path}: INFRA_ENV=${environment} names no committed config`);
  const result = environmentConfigSchema.safeParse(parseJson(path, text));
  if (!result.success) throw new InfraConfigError(`invalid infra config ${path}:\n${z.prettifyError(result.error)}`);
  if (result.data.environment !== environment) {
    throw new InfraConfigError(`${path} says environment "${result.data.environment}" but INFRA_ENV is "${environment}"`);
  }
  const localFile = join(configDir, `${environment}.local.json`);
  const localStateDir = join(configDir, '..', 'state', environment);
  return { ...result.data, account: loadAccount(localFile, readText(localFile), env), localFile, localStateDir };
}

function loadAccount(localFile: string, text: string | undefined, env: Env): AccountValues {
  const fromFile = text === undefined ? {} : parseJson(localFile, text);
  if (typeof fromFile !== 'object' || fromFile === null || Array.isArray(fromFile)) {
    throw new InfraConfigError(`${localFile} must hold a JSON object of account values (${Object.keys(ACCOUNT_VALUES).join(', ')})`);
  }
  const fromEnv = Object.fromEntries(
    Object.entries(ACCOUNT_VALUES).flatMap(([key, { variable, list }]) => {
      const value = env[variable];
      if (!value) return [];
      return [[key, list ? value.split(',').map((part) => part.trim()).filter(Boolean) : value]];
    }),
  );
  const result = accountSchema.safeParse({ ...fromFile, ...fromEnv });
  if (!result.success) {
    const lines = result.error.issues.map((issue) => {
      const key = issue.path[0];
      const source = typeof key === 'string' && key in fromEnv ? ACCOUNT_VALUES[key as AccountKey].variable : `${localFile} at ${issue.path.join('.') || '(root)'}`;
      return `  ${source}: ${issue.message}`;
    });
    throw new InfraConfigError(`invalid account values:\n${lines.join('\n')}`);
  }
  return result.data;
}

/** The account values a set of stacks needs, or one error naming every missing variable and the local file. */
export function requireAccount<Key extends AccountKey>(config: InfraConfig, keys: readonly Key[], needs: string): Required<Pick<AccountValues, Key>> {
  const missing = keys.filter((key) => config.account[key] === undefined);
  if (missing.length > 0) {
    const lines = missing.map((key) => `  ${ACCOUNT_VALUES[key].variable} (or "${key}" in ${config.localFile}): ${ACCOUNT_VALUES[key].what}`);
    throw new InfraConfigError(`missing account values for ${needs}:\n${lines.join('\n')}`);
  }
  return config.account as Required<Pick<AccountValues, Key>>;
}

function parseJson(path: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new InfraConfigError(`${path} is not valid JSON`, { cause });
  }
}

function readIfExists(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new InfraConfigError(`cannot read ${path}`, { cause: error });
  }
}
