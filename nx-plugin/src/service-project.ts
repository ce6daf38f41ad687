// What a service is to Nx: one project per services/<name>/, its targets built from service.json. The app's
// bundles are built once by the deploy project; each service stages them with its own models, per target, with
// deploy/build's scripts.
import type { ProjectConfiguration, TargetConfiguration } from '@nx/devkit';
import { scopeTag, type ServiceConfig, type ServiceTarget } from '@onnx-serve/service-config';

/**
 * The projects every service is built from: a change in either (or in a library they use) affects every service.
 * Not deploy: its scripts and Dockerfiles are inputs of the targets that use them (below), so a Dockerfile change
 * affects the services with that target only, and a change to deploy's tests none.
 */
export const serviceDependencies = ['prediction-api', 'infra'];

/** deploy/build: the bundle, stage and image scripts every service's image targets run. */
const imageScripts = '{workspaceRoot}/deploy/build/**/*';

/** The files of the verify-model tool (the libraries and the app it runs are in `^production`). */
const verifyToolInputs = ['verify-model.ts', 'verify-over-http.ts', 'serve-store.ts'].map((file) => `{workspaceRoot}/tools/src/${file}`);

// No negated `{workspaceRoot}/` inputs here: Nx counts a change to any file such a pattern matches as touching
// the project, and a negation matches nearly every file (`nx affected` would select every service).
function targetsOf(name: string, target: ServiceTarget): Record<string, TargetConfiguration> {
  const staged = `{workspaceRoot}/dist/services/${name}/${target}`;
  return {
    [`stage-${target}`]: {
      executor: 'nx:run-commands',
      cache: true,
      dependsOn: [{ projects: ['deploy'], target: `bundle-${target}` }],
      inputs: [
        '{projectRoot}/models/**/*',
        imageScripts,
        // The app's production files (the bundle's sources, through the bundle's own inputs too).
        '^production',
        '{workspaceRoot}/package.json',
        { dependentTasksOutputFiles: '**/*' },
        { env: 'TARGET_ARCH' },
      ],
      outputs: [staged],
      options: { command: `tsx deploy/build/stage-image.ts ${target} ${name}` },
      metadata: { description: `Stage dist/services/${name}/${target}/: the ${target} bundle, its runtime packages and this service's models` },
    },
    [`image-${target}`]: {
      executor: 'nx:run-commands',
      dependsOn: [`stage-${target}`],
      inputs: [`{workspaceRoot}/deploy/${target}/**/*`, imageScripts],
      options: { command: `tsx deploy/build/docker-image.ts ${target} ${name}` },
      metadata: { description: `Build the ${target} image from the staged folder with deploy/${target}/Dockerfile (local Docker engine)` },
    },
    [`push-${target}`]: {
      executor: 'nx:run-commands',
      dependsOn: [`stage-${target}`],
      inputs: [`{workspaceRoot}/deploy/${target}/**/*`, imageScripts],
      options: { command: `tsx deploy/build/docker-image.ts ${target} ${name} --push` },
      metadata: { description: `Push the ${target} image to ${target.toUpperCase()}_REPOSITORY_URL and print its digest` },
    },
  };
}

// Alone (parallelism: false): every cdktf run synthesises into the one folder infra/cdktf.out/<env> and removes the
// stacks it did not build, so two at once (two services, or a service and infra:deploy) delete each other's.
const infraCommand = (verb: 'synth' | 'deploy', name: string): TargetConfiguration => ({
  executor: 'nx:run-commands',
  parallelism: false,
  inputs: ['{projectRoot}/service.json', '^production', { env: 'INFRA_ENV' }],
  options: { command: `tsx infra/scripts/service-infra.ts ${verb} ${name}`, cwd: '{workspaceRoot}' },
});

export function serviceProject(name: string, config: ServiceConfig): Omit<ProjectConfiguration, 'root'> {
  const targets: Record<string, TargetConfiguration> = {};
  for (const target of config.targets) Object.assign(targets, targetsOf(name, target));
  const models = `services/${name}/models`;
  Object.assign(targets, {
    build: { executor: 'nx:noop', dependsOn: config.targets.map((target) => `stage-${target}`) },
    verify: {
      executor: 'nx:run-commands',
      cache: true,
      inputs: ['{projectRoot}/models/**/*', ...verifyToolInputs, '^production'],
      options: { command: `tsx tools/src/verify-model.ts ${models}` },
      metadata: { description: "Replay every model's golden.json against the model" },
    },
    // The same rows over HTTP against the real server on this store: `^production` holds the app's files.
    test: {
      executor: 'nx:run-commands',
      cache: true,
      dependsOn: ['verify'],
      inputs: ['{projectRoot}/models/**/*', ...verifyToolInputs, '^production', { env: 'MAX_INSTANCES' }],
      options: { command: `tsx tools/src/verify-model.ts --serve ${models}` },
      metadata: { description: "Replay every model's golden.json over HTTP against the server started on the models" },
    },
    // Not `continuous`: Nx would share one running server between processes and report a failed start as success.
    serve: {
      executor: 'nx:run-commands',
      options: { command: 'tsx --tsconfig tsconfig.base.json apps/prediction-api/src/main.ts', env: { MODEL_DIR: models } },
      metadata: { description: `Serve ${models} on PORT (default 8080)` },
    },
    synth: infraCommand('synth', name),
    deploy: { ...infraCommand('deploy', name), dependsOn: ['synth'] },
  } satisfies Record<string, TargetConfiguration>);
  return {
    name,
    projectType: 'application',
    tags: ['type:service', ...config.owners.map(scopeTag)],
    implicitDependencies: [...serviceDependencies],
    targets,
  };
}
