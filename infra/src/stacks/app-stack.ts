// What every stack shares: the AWS provider locked to one account, default tags, and its own state.
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { LocalBackend, S3Backend, TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import type { AccountRegion } from '../aws/arns';
import { MANAGED_BY_TAG } from '../aws/names';

/** Where a stack keeps its state; the S3 bucket is an account value, the rest is committed config. */
export type StateBackend =
  | { readonly backend: 'local'; readonly directory: string }
  | { readonly backend: 's3'; readonly bucket: string; readonly region: string; readonly keyPrefix: string };

export interface StackEnvironment extends AccountRegion {
  readonly environment: string;
  readonly namePrefix: string;
  readonly tags: Readonly<Record<string, string>>;
  readonly state: StateBackend;
}

export interface StackIdentity {
  /** The cdktf stack id, also its folder in the output: `registry`, `fraud-lambda-api`. */
  readonly id: string;
  /** Its state's key under the environment, without `.tfstate`: `registry`, `services/fraud/lambda-api`. */
  readonly stateName: string;
  /** The service a service stack belongs to, as a tag. */
  readonly service?: string;
}

export abstract class AppStack extends TerraformStack {
  /** The provider's default tags: what resources AWS creates on the stack's behalf (instances, volumes) need too. */
  readonly resourceTags: Readonly<Record<string, string>>;

  protected constructor(scope: Construct, identity: StackIdentity, env: StackEnvironment) {
    super(scope, identity.id);
    const serviceTag: Record<string, string> = identity.service ? { Service: identity.service } : {};
    this.resourceTags = { ...env.tags, ...serviceTag, Environment: env.environment, Stack: identity.id, [MANAGED_BY_TAG.key]: MANAGED_BY_TAG.value };
    new AwsProvider(this, 'aws', {
      region: env.region,
      // Refuses to touch any other account: a dev config can never deploy into prod's account.
      allowedAccountIds: [env.accountId],
      // The deployer policy lets it change only resources with the ManagedBy tag: every resource gets it here.
      defaultTags: [{ tags: { ...this.resourceTags } }],
    });
    configureState(this, identity.stateName, env);
  }
}

function configureState(stack: TerraformStack, stateName: string, env: StackEnvironment): void {
  const state = env.state;
  if (state.backend === 'local') {
    // An absolute path: the output folder may be anywhere (INFRA_OUTPUT_ROOT), the state stays in infra/state/<env>.
    new LocalBackend(stack, { path: `${state.directory}/${stateName}.tfstate` });
    return;
  }
  const backend = new S3Backend(stack, {
    bucket: state.bucket,
    region: state.region,
    key: `${state.keyPrefix}/${env.environment}/${stateName}.tfstate`,
    encrypt: true,
  });
  // S3-native locking (terraform >= 1.10); cdktf 0.21 has no typed prop for it.
  backend.addOverride('use_lockfile', true);
}
