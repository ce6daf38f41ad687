// The shape of one environment's infra config, validated once at synth. Two parts: the committed file
// (config/<env>.json: what is safe to share, identical on every machine) and the account values (account id,
// buckets, network, certificate), which come from environment variables or the ignored config/<env>.local.json.
// Every value that crosses a stack boundary lives here or in service.json, so no stack reads another's state.
import * as z from 'zod';

export const PLACEHOLDER_DIGEST = `sha256:${'0'.repeat(64)}`;

const name = z.string().regex(/^[a-z][a-z0-9-]{1,62}$/, 'lowercase letters, digits and dashes, starting with a letter');
// With a 16-character service name the per-service names stay within IAM's 64 (see aws/names.ts for the 32 of ALBs).
const namePrefix = z
  .string()
  .max(20, 'at most 20 characters (per-service resource names add the service name)')
  .regex(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/, 'lowercase letters and digits in dash-separated words');
const positiveInt = z.number().int().positive();
const logLevel = z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace']);
// CloudWatch accepts only some retention values; these are the useful ones.
const RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 180, 365];
const retentionDays = z.number().refine((days) => RETENTION_DAYS.includes(days), `one of ${RETENTION_DAYS.join(', ')}`);
const architecture = z.enum(['x86_64', 'arm64']);

const stateSchema = z.discriminatedUnion('backend', [
  z.object({ backend: z.literal('local') }).strict(),
  z
    .object({
      backend: z.literal('s3'),
      region: z.string().min(1),
      keyPrefix: z.string().regex(/^[a-z0-9][a-z0-9/-]*[a-z0-9]$/, 'a key prefix like onnx-serve/state'),
    })
    .strict(),
]);

const registrySchema = z
  .object({
    keepLastImages: positiveInt.max(1000),
    // Images a deploy tagged (the one running and those a rollback goes back to), kept apart from keepLastImages.
    keepDeployedImages: positiveInt.max(1000),
    forceDelete: z.boolean(),
  })
  .strict()
  // Both rules count by push time. An image never deployed before survives only among the newest
  // keepLastImages, so with keepDeployedImages at least as large the image a deploy just tagged is always among
  // the newest keepDeployedImages tagged ones: the image running is never expired.
  .refine((registry) => registry.keepDeployedImages >= registry.keepLastImages, {
    message: 'keepDeployedImages must be at least keepLastImages, or the image running could expire',
    path: ['keepDeployedImages'],
  });

const modelsSchema = z
  .object({
    prefix: z.string().regex(/^([a-z0-9][a-z0-9_.-]*\/)+$/, 'a key prefix ending in "/", like models/'),
    forceDestroy: z.boolean(),
    noncurrentVersionDays: positiveInt,
  })
  .strict();

const lambdaApiSchema = z
  .object({
    architecture,
    timeoutSeconds: z.number().int().min(1).max(29), // API Gateway's integration timeout caps the useful value.
    logLevel,
    logRetentionDays: retentionDays,
    stageName: z.string().regex(/^[a-zA-Z0-9_]+$/),
    // The unkeyed probes (GET /health) have no usage plan: this caps them, so they cannot use up the function.
    publicThrottle: z.object({ rateLimit: z.number().positive(), burstLimit: positiveInt }).strict(),
    // API Gateway's CloudWatch role is one per account and region: let only one environment there own it.
    manageAccountLogRole: z.boolean(),
  })
  .strict();

const ec2ApiSchema = z
  .object({
    architecture,
    targetCpuPercent: z.number().min(10).max(90),
    appPort: z.number().int().min(1024).max(65_535),
    // Plain HTTP (no certificate) is refused from these when they include the whole internet: keys would cross it
    // in cleartext. A deployer's own range can replace them (INFRA_INGRESS_CIDRS).
    ingressCidrs: z.array(z.cidrv4()).min(1),
    // Prod keeps its load balancers from being deleted by accident, a destroy included.
    deletionProtection: z.boolean(),
    // Each service reads its keys from <prefix>/<service>/api-keys.
    apiKeysParameterPrefix: z.string().regex(/^\/[a-zA-Z0-9_.-]+(\/[a-zA-Z0-9_.-]+)*$/, 'an SSM parameter path like /onnx-serve/dev'),
    volumeSizeGb: z.number().int().min(8).max(200),
    logLevel,
    logRetentionDays: retentionDays,
    // Left out: no gRPC. Set: an HTTPS listener on listenerPort forwards gRPC to the container's GRPC_PORT.
    grpc: z
      .object({
        listenerPort: z.number().int().min(1).max(65_535).refine((port) => port !== 80 && port !== 443, 'not 80 or 443, which serve HTTP'),
        port: z.number().int().min(1024).max(65_535),
      })
      .strict()
      .optional(),
  })
  .strict()
  .refine((ec2Api) => ec2Api.grpc?.port !== ec2Api.appPort, { message: 'the gRPC port must differ from appPort', path: ['grpc', 'port'] });

const alarmsSchema = z
  .object({ errorRatePercent: z.number().positive().max(100), p99LatencyMs: z.number().int().positive() })
  .strict();

// AWS managed rule groups a web ACL may use here (each costs per month and per request).
export const MANAGED_RULE_GROUPS = [
  'AWSManagedRulesCommonRuleSet',
  'AWSManagedRulesKnownBadInputsRuleSet',
  'AWSManagedRulesAmazonIpReputationList',
  'AWSManagedRulesAnonymousIpList',
] as const;

const wafSchema = z
  .object({
    managedRuleGroups: z
      .array(z.enum(MANAGED_RULE_GROUPS))
      .min(1)
      .refine((groups) => new Set(groups).size === groups.length, 'each group once'),
    // Requests from one IP address in any 5 minutes beyond which the rest are blocked; left out: no rate rule.
    rateLimitPerIpPer5Minutes: z.number().int().min(100).max(2_000_000_000).optional(),
  })
  .strict();

/** config/<env>.json: committed, so it holds nothing that names an account. */
export const environmentConfigSchema = z
  .object({
    environment: name,
    region: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'an AWS region like us-east-1'),
    namePrefix,
    tags: z.record(z.string(), z.string()),
    state: stateSchema,
    registry: registrySchema,
    models: modelsSchema,
    lambdaApi: lambdaApiSchema,
    ec2Api: ec2ApiSchema,
    alarms: alarmsSchema,
    // Left out: no web ACL. Set: one in front of every service stack's load balancer and API stage.
    waf: wafSchema.optional(),
  })
  .strict();

const subnetIds = z.array(z.string().regex(/^subnet-[0-9a-f]{8,17}$/, 'a subnet id like subnet-0123abcd'));

/**
 * The account values, each from an environment variable or config/<env>.local.json (the variable wins).
 * Which ones a run needs depends on the stacks it builds (requireAccount in load-infra-config.ts).
 */
export const accountSchema = z
  .object({
    accountId: z.string().regex(/^\d{12}$/, 'a 12-digit AWS account id'),
    modelBucket: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'an S3 bucket name'),
    stateBucket: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'an S3 bucket name'),
    vpcId: z.string().regex(/^vpc-[0-9a-f]{8,17}$/, 'a VPC id like vpc-0123abcd'),
    loadBalancerSubnetIds: subnetIds.min(2, 'an Application Load Balancer needs subnets in at least two availability zones'),
    instanceSubnetIds: subnetIds.min(1),
    certificateArn: z.string().regex(/^arn:aws:acm:[a-z0-9-]+:\d{12}:certificate\/[0-9a-f-]+$/, 'an ACM certificate ARN'),
    ingressCidrs: z.array(z.cidrv4()).min(1),
    alarmEmail: z.email('an e-mail address'),
  })
  .partial()
  .strict();

export type AccountKey = keyof z.infer<typeof accountSchema>;

/** Where each account value comes from and what it is, for the messages that ask for it. */
export const ACCOUNT_VALUES: Record<AccountKey, { readonly variable: string; readonly what: string; readonly list?: true }> = {
  accountId: { variable: 'INFRA_ACCOUNT_ID', what: 'the 12-digit AWS account id' },
  modelBucket: { variable: 'INFRA_MODEL_BUCKET', what: 'the model bucket name (globally unique, e.g. onnx-serve-dev-models-<account id>)' },
  stateBucket: { variable: 'INFRA_STATE_BUCKET', what: 'the bucket holding Terraform state (the s3 state backend)' },
  vpcId: { variable: 'INFRA_VPC_ID', what: 'the VPC id (vpc-…) the load balancers and instances live in' },
  loadBalancerSubnetIds: { variable: 'INFRA_LOAD_BALANCER_SUBNET_IDS', what: 'the load balancer subnets, comma-separated', list: true },
  instanceSubnetIds: { variable: 'INFRA_INSTANCE_SUBNET_IDS', what: 'the instance subnets, comma-separated', list: true },
  certificateArn: { variable: 'INFRA_CERTIFICATE_ARN', what: 'an ACM certificate for HTTPS (optional: without it the load balancers serve HTTP)' },
  ingressCidrs: {
    variable: 'INFRA_INGRESS_CIDRS',
    what: 'the CIDRs the load balancers take traffic from, comma-separated (optional: replaces ec2Api.ingressCidrs)',
    list: true,
  },
  alarmEmail: { variable: 'INFRA_ALARM_EMAIL', what: 'where the alarms of every service stack are mailed (optional)' },
};

export type EnvironmentConfig = z.infer<typeof environmentConfigSchema>;
export type AccountValues = z.infer<typeof accountSchema>;
export type StateConfig = EnvironmentConfig['state'];
export type Architecture = z.infer<typeof architecture>;
export type WafConfig = z.infer<typeof wafSchema>;

export interface InfraConfig extends EnvironmentConfig {
  readonly account: AccountValues;
  /** The local file account values may come from (named in messages, whether or not it exists). */
  readonly localFile: string;
  /** Where the local state backend keeps this environment's state files (infra/state/<env>). */
  readonly localStateDir: string;
}
