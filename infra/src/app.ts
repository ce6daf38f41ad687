// Turns one validated config into the four stacks' typed props. This is where values cross stack lines:
// as plain strings from config (repository names, digests, bucket and prefix), never as token references.
import { Annotations, type TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import type { ImageRef, ModelLocation } from './aws/arns';
import { PLACEHOLDER_DIGEST, type InfraConfig } from './config/infra-config';
import type { StackEnvironment, StackId } from './stacks/app-stack';
import { Ec2ApiStack, type Ec2ApiStackProps } from './stacks/ec2-api-stack';
import { LambdaApiStack, type LambdaApiStackProps } from './stacks/lambda-api-stack';
import { ModelsStack, type ModelsStackProps } from './stacks/models-stack';
import { RegistryStack, type RegistryStackProps } from './stacks/registry-stack';

export const stackEnvironment = (config: InfraConfig): StackEnvironment => ({
  environment: config.environment,
  accountId: config.accountId,
  region: config.region,
  namePrefix: config.namePrefix,
  tags: config.tags,
  state: config.state,
});

const modelLocation = (config: InfraConfig): ModelLocation => ({ bucketName: config.models.bucketName, prefix: config.models.prefix });

const image = (config: InfraConfig, repository: string, digest: string): ImageRef => ({
  accountId: config.accountId,
  region: config.region,
  repository,
  digest,
});

export const registryProps = (config: InfraConfig): RegistryStackProps => ({ env: stackEnvironment(config), ...config.registry });

export const modelsProps = (config: InfraConfig): ModelsStackProps => ({
  env: stackEnvironment(config),
  location: modelLocation(config),
  forceDestroy: config.models.forceDestroy,
  noncurrentVersionDays: config.models.noncurrentVersionDays,
});

// Both API targets take the same cross-stack values: their image by digest and the model location.
function apiTargetProps<Section extends { imageDigest: string }>(config: InfraConfig, section: Section, repository: string) {
  const { imageDigest, ...rest } = section;
  return { ...rest, env: stackEnvironment(config), image: image(config, repository, imageDigest), models: modelLocation(config) };
}

export const lambdaApiProps = (config: InfraConfig): LambdaApiStackProps =>
  apiTargetProps(config, config.lambdaApi, config.registry.repositories.lambda);

export const ec2ApiProps = (config: InfraConfig): Ec2ApiStackProps => apiTargetProps(config, config.ec2Api, config.registry.repositories.server);

export interface BuildOptions {
  /** The stack `deploy` is about to apply: a placeholder image digest is an error there, a warning elsewhere. */
  readonly deployingStack?: string;
}

export function buildStacks(app: Construct, config: InfraConfig, options: BuildOptions = {}): Record<StackId, TerraformStack> {
  const stacks = {
    registry: new RegistryStack(app, registryProps(config)),
    models: new ModelsStack(app, modelsProps(config)),
    'lambda-api': new LambdaApiStack(app, lambdaApiProps(config)),
    'ec2-api': new Ec2ApiStack(app, ec2ApiProps(config)),
  };
  flagPlaceholderDigest(stacks['lambda-api'], config.lambdaApi.imageDigest, 'LAMBDA_IMAGE_DIGEST', options);
  flagPlaceholderDigest(stacks['ec2-api'], config.ec2Api.imageDigest, 'SERVER_IMAGE_DIGEST', options);
  return stacks;
}

function flagPlaceholderDigest(stack: TerraformStack, digest: string, variable: string, options: BuildOptions): void {
  if (digest !== PLACEHOLDER_DIGEST) return;
  const message = `${stack.node.id} runs the placeholder image digest: push the image and set ${variable}`;
  if (options.deployingStack === stack.node.id) Annotations.of(stack).addError(message);
  else Annotations.of(stack).addWarning(message);
}
