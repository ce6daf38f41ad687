// The image registry, shared by the services: one repository per service and target, so each service's
// lifecycle rule and pull permissions cover its own images only. Deployed before a service's first push.
import { TerraformOutput } from 'cdktf';
import type { Construct } from 'constructs';
import type { ServiceTarget } from '@onnx-serve/service-config';
import { serviceResourceName } from '../aws/names';
import { ContainerRepository } from '../constructs/container-repository';
import { AppStack, type StackEnvironment } from './app-stack';

export interface RegistryRepository {
  readonly service: string;
  readonly target: ServiceTarget;
  readonly name: string;
}

export interface RegistryStackProps {
  readonly env: StackEnvironment;
  readonly repositories: readonly RegistryRepository[];
  readonly keepLastImages: number;
  readonly keepDeployedImages: number;
  readonly forceDelete: boolean;
}

export class RegistryStack extends AppStack {
  constructor(scope: Construct, props: RegistryStackProps) {
    super(scope, { id: 'registry', stateName: 'registry' }, props.env);
    const { keepLastImages, keepDeployedImages, forceDelete } = props;
    for (const { service, target, name } of props.repositories) {
      const repository = new ContainerRepository(this, `${service}-${target}`, {
        name,
        keepLastImages,
        keepDeployedImages,
        forceDelete,
        lambdaPullFrom: target === 'lambda' ? { ...props.env, functionName: serviceResourceName(props.env.namePrefix, service) } : undefined,
      });
      new TerraformOutput(this, `${service}_${target}_repository_url`.replaceAll('-', '_'), { value: repository.repositoryUrl });
    }
  }
}
