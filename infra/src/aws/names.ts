// AWS resource and stack names derived from the environment's name prefix and a service name. Most AWS names
// allow 64 characters or more; load balancers and target groups allow 32, so those are shortened with a hash.
import { createHash } from 'node:crypto';
import type { ServiceTarget } from '@onnx-serve/service-config';

/** The base of every name in a service's stacks: `onnx-serve-dev-fraud`. */
export const serviceResourceName = (namePrefix: string, service: string): string => `${namePrefix}-${service}`;

/** One ECR repository per service and target: `onnx-serve-dev-fraud-lambda`. */
export const repositoryName = (namePrefix: string, service: string, target: ServiceTarget): string =>
  `${serviceResourceName(namePrefix, service)}-${target}`;

export const LOAD_BALANCER_NAME_MAX = 32;

/**
 * `name` itself when it fits in `max` characters, else its start and 8 hex of its hash: still unique per
 * name, still starting with the name prefix (deployer policies match on it), never ending in a dash.
 */
export function fitName(name: string, max: number): string {
  if (name.length <= max) return name;
  const hash = createHash('sha256').update(name).digest('hex').slice(0, 8);
  return `${name.slice(0, max - hash.length - 1).replace(/-+$/, '')}-${hash}`;
}

export const SERVICE_STACK_SUFFIX: Record<ServiceTarget, string> = { lambda: 'lambda-api', server: 'ec2-api' };

/** `fraud-lambda-api`, `fraud-ec2-api`: a stack per service and target, each with its own state. */
export const serviceStackId = (service: string, target: ServiceTarget): string => `${service}-${SERVICE_STACK_SUFFIX[target]}`;

/**
 * The managed policy every role of these stacks is created under (infra/iam/permissions-boundary.json,
 * created once by an administrator): the deployer may create and change roles only with it attached.
 */
export const PERMISSIONS_BOUNDARY_NAME = 'onnx-serve-permissions-boundary';

/** Every resource carries this tag (provider default tags); the deployer policy changes only what has it. */
export const MANAGED_BY_TAG = { key: 'ManagedBy', value: 'onnx-serve' } as const;

/** A deploy tags the image it runs `deployed-<time>` (aws/deployed-images.ts); the lifecycle rule keeps such images. */
export const DEPLOYED_TAG_PREFIX = 'deployed-';
