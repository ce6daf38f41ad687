// The two deploy targets built from the app (apps/prediction-api), in one table: which entry each bundles, where
// its bundle goes, and what a service's image and push targets need. Each entry is bundled once (deploy:bundle-<target>);
// every service stages that bundle with its own models in dist/services/<service>/<target>/. Paths are relative
// to the workspace.
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const workspaceRoot = fileURLToPath(new URL('../../', import.meta.url));

export interface ImageTarget {
  name: 'lambda' | 'server';
  entry: string;
  /** The bundle's file name, in the bundle folder and in the staged image folder. */
  file: string;
  bundleDir: string;
  dockerfile: string;
  /** The ECR repository the push target sends the image to (set by infra/scripts/image-env.sh). */
  repositoryVariable: string;
  /** The name the pushed digest is printed under: what infra reads to deploy it. */
  digestVariable: string;
  /** Folders the bundle reads at run time, copied beside it (name beside the bundle → source folder). */
  assets: Readonly<Record<string, string>>;
}

export const imageTargets: Record<ImageTarget['name'], ImageTarget> = {
  lambda: {
    name: 'lambda',
    entry: 'apps/prediction-api/src/lambda.ts',
    // .mjs: the Lambda runtime loads it as ESM (top-level await) whatever package.json says.
    file: 'index.mjs',
    bundleDir: 'dist/bundles/lambda',
    dockerfile: 'deploy/lambda/Dockerfile',
    repositoryVariable: 'LAMBDA_REPOSITORY_URL',
    digestVariable: 'LAMBDA_IMAGE_DIGEST',
    assets: {},
  },
  server: {
    name: 'server',
    entry: 'apps/prediction-api/src/main.ts',
    file: 'main.js',
    bundleDir: 'dist/bundles/server',
    dockerfile: 'deploy/server/Dockerfile',
    repositoryVariable: 'SERVER_REPOSITORY_URL',
    digestVariable: 'SERVER_IMAGE_DIGEST',
    // The gRPC server's .proto files, which src/grpc/grpc-protos.ts finds in proto/ beside main.js.
    assets: { proto: 'apps/prediction-api/src/grpc/proto' },
  },
};

/**
 * Packages the bundle leaves out and the image installs beside it: onnxruntime-node is a native module, and
 * swagger-ui-dist's and papaparse's browser files are read from their folders at run time (the /docs page's
 * assets; the CSV parser of the model pages).
 */
export const installedBesideBundle = ['onnxruntime-node', 'swagger-ui-dist', 'papaparse'] as const;

/** A service's staged folder for one target: exactly what the Dockerfile COPYs, the image's build context. */
export const stageDir = (service: string, target: ImageTarget): string => `dist/services/${service}/${target.name}`;

/** The tag the image target loads into the local Docker engine. */
export const localTag = (service: string, target: ImageTarget): string => `onnx-serve-${service}-${target.name}:local`;

/** The target named on the command line (argv[2]), or an exit naming the choices. */
export function targetFromArgs(argv: readonly string[], usage: string): ImageTarget {
  const name = argv[2];
  if (name === 'lambda' || name === 'server') return imageTargets[name];
  console.error(`usage: ${usage}\n  <target> is one of: ${Object.keys(imageTargets).join(', ')}`);
  process.exit(2);
}

/** The service named on the command line (argv[3]), or an exit naming what is expected. */
export function serviceFromArgs(argv: readonly string[], usage: string): string {
  const service = argv[3];
  if (service && /^[a-z][a-z0-9-]*$/.test(service)) return service;
  console.error(`usage: ${usage}\n  <service> is the name of a folder of services/`);
  process.exit(2);
}

/** Whether the module at `moduleUrl` is the script node was started with (not imported by a test). */
export const isMain = (moduleUrl: string): boolean =>
  process.argv[1] !== undefined && moduleUrl === pathToFileURL(resolve(process.argv[1])).href;
