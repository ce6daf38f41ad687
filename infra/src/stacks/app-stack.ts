// What every stack shares: the AWS provider locked to one account, default tags, and its own state.
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { LocalBackend, S3Backend, TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import type { AccountRegion } from '../aws/arns';
import type { StateConfig } from '../config/infra-config';

export const STACK_IDS = ['registry', 'models', 'lambda-api', 'ec2-api'] as const;
export type StackId = (typeof STACK_IDS)[number];

export interface StackEnvironment extends AccountRegion {
  readonly environment: string;
  readonly namePrefix: string;
  readonly tags: Readonly<Record<string, string>>;
  readonly state: StateConfig;
}

export abstract class AppStack extends TerraformStack {
  protected constructor(scope: Construct, id: StackId, env: StackEnvironment) {
    super(scope, id);
    new AwsProvider(this, 'aws', {
      region: env.region,
      // Refuses to touch any other account: a dev config can never deploy into prod's account.
      allowedAccountIds: [env.accountId],
      defaultTags: [{ tags: { ...env.tags, Environment: env.environment, Stack: id, ManagedBy: 'cdktf' } }],
    });
    configureState(this, id, env);
  }
}

function configureState(stack: TerraformStack, id: StackId, env: StackEnvironment): void {
  const state = env.state;
  if (state.backend === 'local') {
    // Relative to the stack's working directory (cdktf.out/stacks/<id>), so the file lands in infra/.
    new LocalBackend(stack, { path: `../../../terraform.${env.environment}.${id}.tfstate` });
    return;
  }
  const backend = new S3Backend(stack, {
    bucket: state.bucket,
    region: state.region,
    key: `${state.keyPrefix}/${env.environment}/${id}.tfstate`,
    encrypt: true,
  });
  // S3-native locking (terraform >= 1.10); cdktf 0.21 has no typed prop for it.
  backend.addOverride('use_lockfile', true);
}
