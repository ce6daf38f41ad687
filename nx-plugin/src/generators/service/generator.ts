// `nx g @onnx-serve/plugin:service <name> --owner=<handle> --target=lambda|server|both`: services/<name>/ with a
// valid service.json (dev and prod settings to start from), an empty model store, and its CODEOWNERS line.
// Every option is checked before the tree is touched: a refusal writes nothing.
import { type Tree, logger } from '@nx/devkit';
import { parseServiceConfig, scopeTag, ServiceConfigError, serviceNameProblem, type ServiceConfig, type ServiceTarget } from '@onnx-serve/service-config';
import { GeneratorOptionError } from '../../option-error';

export interface ServiceGeneratorSchema {
  name: string;
  owner: string;
  target: string;
}

export const codeownersPath = '.github/CODEOWNERS';

const targetChoices: Record<string, ServiceTarget[]> = { lambda: ['lambda'], server: ['server'], both: ['lambda', 'server'] };

/** Settings to start from: small in dev, a little more in prod. The team tunes them in service.json. */
function starterConfig(owner: string, targets: ServiceTarget[]): ServiceConfig {
  const has = (target: ServiceTarget) => targets.includes(target);
  const environment = (scale: 1 | 2) => ({
    ...(has('lambda') && {
      lambda: { memoryMb: 1024 * scale, reservedConcurrency: 5 * scale },
      usagePlan: { throttle: { rateLimit: 10 * scale, burstLimit: 20 * scale }, quota: { limit: 100_000 * scale, period: 'MONTH' as const } },
    }),
    ...(has('server') && { server: { instanceType: scale === 1 ? 't3.small' : 't3.medium', minInstances: scale, maxInstances: 2 * scale } }),
  });
  return { owners: [owner], targets, environments: { dev: environment(1), prod: environment(2) } };
}

export interface ServicePlan {
  root: string;
  config: ServiceConfig;
  codeowners: string;
}

export function planService(tree: Tree, schema: ServiceGeneratorSchema): ServicePlan {
  const { name, owner, target } = schema;
  const problem = serviceNameProblem(name);
  if (problem) throw new GeneratorOptionError(`${JSON.stringify(name)} is not a service name: ${problem}`);
  const root = `services/${name}`;
  if (tree.exists(root)) throw new GeneratorOptionError(`${root} exists already: pick another name`);
  const targets = targetChoices[target];
  if (!targets) throw new GeneratorOptionError(`--target=${target}: one of ${Object.keys(targetChoices).join(', ')}`);
  let config: ServiceConfig;
  try {
    config = parseServiceConfig(starterConfig(owner, targets), `${root}/service.json`);
  } catch (error) {
    if (!(error instanceof ServiceConfigError)) throw error;
    const ownerIssue = error.issues.find((issue) => issue.path.startsWith('owners'));
    throw new GeneratorOptionError(ownerIssue ? `--owner=${owner}: ${ownerIssue.message}` : error.message);
  }
  const existing = tree.read(codeownersPath, 'utf8') ?? '# Who reviews what: each service is owned by its team.\n';
  const codeowners = `${existing}${existing.endsWith('\n') ? '' : '\n'}/${root}/ ${owner}\n`;
  return { root, config, codeowners };
}

export async function serviceGenerator(tree: Tree, schema: ServiceGeneratorSchema): Promise<void> {
  const { root, config, codeowners } = planService(tree, schema);
  tree.write(`${root}/service.json`, `${JSON.stringify(config, null, 2)}\n`);
  tree.write(`${root}/models/.gitkeep`, '');
  tree.write(codeownersPath, codeowners);
  logger.info(`${root}: the Nx project ${schema.name}, tagged type:service and ${scopeTag(schema.owner)}.`);
  logger.info(`Next: npx nx g @onnx-serve/plugin:model <model> --service=${schema.name} --onnx=<path/to/model.onnx>`);
}

export default serviceGenerator;
