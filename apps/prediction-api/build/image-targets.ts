// The two deploy targets built from this app, in one table: which entry each bundles, where its bundle and
// its staged image folder go, and what its image and push targets need. Paths are relative to the workspace.
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const workspaceRoot = fileURLToPath(new URL('../../../', import.meta.url));

export interface ImageTarget {
  name: 'lambda' | 'server';
  entry: string;
  /** The bundle's file name, in the bundle folder and in the staged image folder. */
  file: string;
  bundleDir: string;
  /** Exactly what the Dockerfile COPYs: the image's build context. */
  stageDir: string;
  dockerfile: string;
  /** The ECR repository the push target sends the image to (set by infra/scripts/image-env.sh). */
  repositoryVariable: string;
  /** The name the pushed digest is printed under: what infra reads to deploy it. */
  digestVariable: string;
  /** Tag of the image the image target loads into the local Docker engine. */
  localTag: string;
}

export const imageTargets: Record<ImageTarget['name'], ImageTarget> = {
  lambda: {
    name: 'lambda',
    entry: 'apps/prediction-api/src/lambda.ts',
    // .mjs: the Lambda runtime loads it as ESM (top-level await) whatever package.json says.
    file: 'index.mjs',
    bundleDir: 'dist/bundles/lambda',
    stageDir: 'dist/images/lambda',
    dockerfile: 'deploy/lambda/Dockerfile',
    repositoryVariable: 'LAMBDA_REPOSITORY_URL',
    digestVariable: 'LAMBDA_IMAGE_DIGEST',
    localTag: 'onnx-serve-lambda:local',
  },
  server: {
    name: 'server',
    entry: 'apps/prediction-api/src/main.ts',
    file: 'main.js',
    bundleDir: 'dist/bundles/server',
    stageDir: 'dist/images/server',
    dockerfile: 'deploy/server/Dockerfile',
    repositoryVariable: 'SERVER_REPOSITORY_URL',
    digestVariable: 'SERVER_IMAGE_DIGEST',
    localTag: 'onnx-serve-server:local',
  },
};

/**
 * Packages the bundle leaves out and the image installs beside it: onnxruntime-node is a native module, and
 * swagger-ui-dist's files are read from its folder at run time (the /docs page's assets).
 */
export const installedBesideBundle = ['onnxruntime-node', 'swagger-ui-dist'] as const;

/** The target named on the command line (argv[2]), or an exit naming the choices. */
export function targetFromArgs(argv: readonly string[], usage: string): ImageTarget {
  const name = argv[2];
  if (name === 'lambda' || name === 'server') return imageTargets[name];
  console.error(`usage: ${usage}\n  <target> is one of: ${Object.keys(imageTargets).join(', ')}`);
  process.exit(2);
}

/** Whether the module at `moduleUrl` is the script node was started with (not imported by a test). */
export const isMain = (moduleUrl: string): boolean =>
  process.argv[1] !== undefined && moduleUrl === pathToFileURL(resolve(process.argv[1])).href;
