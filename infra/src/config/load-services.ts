// Reads services/*/service.json through libs/service-config, the one validator. Only the entrypoints call
// this (main.ts, scripts/service-infra.ts); stacks get typed props.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseServiceConfig, serviceNameProblem, type ServiceConfig } from '@onnx-serve/service-config';
import { InfraConfigError } from './load-infra-config';

export interface Service {
  readonly name: string;
  readonly config: ServiceConfig;
  /** The bytes of its model store (services/<name>/models, without the *.md notes), what a Lambda mirrors in /tmp. */
  readonly modelBytes: number;
}

function storeBytes(dir: string): number {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return 0; // no models/ folder yet: an empty store
  }
  return entries.reduce((total, entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return total + storeBytes(path);
    return entry.name.endsWith('.md') ? total : total + statSync(path).size;
  }, 0);
}

/** Every folder of `servicesDir` with a service.json, by name. */
export function loadServices(servicesDir: string): Service[] {
  const names = readdirSync(servicesDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .filter((name) => readdirSync(join(servicesDir, name)).includes('service.json'))
    .sort();
  return names.map((name) => {
    const source = `services/${name}/service.json`;
    const problem = serviceNameProblem(name);
    if (problem) throw new InfraConfigError(`services/${name}: the folder name is not a valid service name: ${problem}`);
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(join(servicesDir, name, 'service.json'), 'utf8'));
    } catch (cause) {
      throw new InfraConfigError(`${source} is not valid JSON`, { cause });
    }
    return { name, config: parseServiceConfig(json, source), modelBytes: storeBytes(join(servicesDir, name, 'models')) };
  });
}
