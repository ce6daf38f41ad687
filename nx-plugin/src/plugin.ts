// createNodesV2 over services/*/service.json (loaded by ../index.cjs): each service folder becomes a project.
// An invalid service.json fails the graph with a message naming the file and the field.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { type CreateNodesContextV2, type CreateNodesResultV2, createNodesFromFiles } from '@nx/devkit';
import { parseServiceConfig, serviceNameProblem, ServiceConfigError } from '@onnx-serve/service-config';
import { serviceProject } from './service-project';

export const serviceConfigGlob = 'services/*/service.json';

/** Reads and validates one services/<name>/service.json (a path relative to the workspace). */
export function readServiceConfig(workspaceRoot: string, file: string) {
  const root = dirname(file);
  const name = root.slice('services/'.length);
  const problem = serviceNameProblem(name);
  if (problem) throw new ServiceConfigError(file, [{ path: '(folder name)', message: `${name} is not a service name: ${problem}` }]);
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(join(workspaceRoot, file), 'utf8'));
  } catch (error) {
    throw new ServiceConfigError(file, [{ path: '(root)', message: `not valid JSON: ${(error as Error).message}` }]);
  }
  return { name, root, config: parseServiceConfig(json, file) };
}

export async function createServiceNodes(
  files: readonly string[],
  options: unknown,
  context: CreateNodesContextV2,
): Promise<CreateNodesResultV2> {
  return createNodesFromFiles(
    (file) => {
      const { name, root, config } = readServiceConfig(context.workspaceRoot, file);
      return { projects: { [root]: serviceProject(name, config) } };
    },
    files,
    options,
    context,
  );
}
