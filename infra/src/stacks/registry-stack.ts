// The image registry: one repository per image. Deployed first; the images are pushed into it by Nx targets.
import { TerraformOutput } from 'cdktf';
import type { Construct } from 'constructs';
import { ContainerRepository } from '../constructs/container-repository';
import { AppStack, type StackEnvironment } from './app-stack';

export interface RegistryStackProps {
  readonly env: StackEnvironment;
  readonly repositories: { readonly lambda: string; readonly server: string };
  readonly keepLastImages: number;
  readonly forceDelete: boolean;
}

export class RegistryStack extends AppStack {
  constructor(scope: Construct, props: RegistryStackProps) {
    super(scope, 'registry', props.env);
    const { keepLastImages, forceDelete } = props;
    const lambda = new ContainerRepository(this, 'lambda', {
      name: props.repositories.lambda,
      keepLastImages,
      forceDelete,
      lambdaPullFrom: props.env,
    });
    const server = new ContainerRepository(this, 'server', { name: props.repositories.server, keepLastImages, forceDelete });
    new TerraformOutput(this, 'lambda_repository_url', { value: lambda.repositoryUrl });
    new TerraformOutput(this, 'server_repository_url', { value: server.repositoryUrl });
  }
}
