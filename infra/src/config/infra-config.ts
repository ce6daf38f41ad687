// The whole shape of one environment's infra config, validated once at synth. Every value that crosses a
// stack boundary (repository names, image digests, bucket name and prefix) lives here, so no stack reads
// another stack's state.
import { z } from 'zod';

const required = (what: string) => ({ error: (issue: { input: unknown }) => (issue.input === undefined ? `required: ${what}` : undefined) });

export const PLACEHOLDER_DIGEST = `sha256:${'0'.repeat(64)}`;

const imageDigest = (variable: string) =>
  z
    .string(required(`the image digest (sha256:<64 hex>), from the push or set ${variable}`))
    .regex(/^sha256:[0-9a-f]{64}$/, `must be an image digest sha256:<64 lowercase hex>; set ${variable} after pushing`);

const name = z.string().regex(/^[a-z][a-z0-9-]{1,62}$/, 'lowercase letters, digits and dashes, starting with a letter');
const namePrefix = z.string().regex(/^[a-z][a-z0-9-]{1,19}$/, 'at most 20 lowercase letters, digits and dashes (load balancer names allow 32 characters)');
const positiveInt = z.number().int().positive();
const logLevel = z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace']);
// CloudWatch accepts only some retention values; these are the useful ones.
const RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 180, 365];
const retentionDays = z.number().refine((days) => RETENTION_DAYS.includes(days), `one of ${RETENTION_DAYS.join(', ')}`);
const architecture = z.enum(['x86_64', 'arm64']);

const stateSchema = z.discriminatedUnion('backend', [
  z.object({ backend: z.literal('local') }),
  z.object({
    backend: z.literal('s3'),
    bucket: z.string().min(3),
    region: z.string().min(1),
    keyPrefix: z.string().regex(/^[a-z0-9][a-z0-9/-]*[a-z0-9]$/, 'a key prefix like onnx-serve/state'),
  }),
]);

const registrySchema = z.object({
  repositories: z.object({ lambda: name, server: name }),
  keepLastImages: positiveInt.max(1000),
  forceDelete: z.boolean(),
});

const modelsSchema = z.object({
  bucketName: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'an S3 bucket name'),
  prefix: z.string().regex(/^([a-z0-9][a-z0-9_.-]*\/)+$/, 'a key prefix ending in "/", like models/'),
  forceDestroy: z.boolean(),
  noncurrentVersionDays: positiveInt,
});

const lambdaApiSchema = z.object({
  imageDigest: imageDigest('LAMBDA_IMAGE_DIGEST'),
  architecture,
  memoryMb: z.number().int().min(128).max(10_240),
  timeoutSeconds: z.number().int().min(1).max(29), // API Gateway's integration timeout caps the useful value.
  reservedConcurrency: positiveInt,
  logLevel,
  logRetentionDays: retentionDays,
  stageName: z.string().regex(/^[a-zA-Z0-9_]+$/),
  throttle: z.object({ rateLimit: positiveInt, burstLimit: positiveInt }),
  quota: z.object({ limit: positiveInt, period: z.enum(['DAY', 'WEEK', 'MONTH']) }),
  // API Gateway's CloudWatch role is one per account and region: let only one environment there own it.
  manageAccountLogRole: z.boolean(),
});

const capacitySchema = z
  .object({ min: z.number().int().min(0), desired: z.number().int().min(0), max: positiveInt })
  .refine((c) => c.min <= c.desired && c.desired <= c.max, 'capacity must satisfy min <= desired <= max');

const ec2ApiSchema = z.object({
  imageDigest: imageDigest('SERVER_IMAGE_DIGEST'),
  vpcId: z.string(required('the VPC id (vpc-…) the load balancer and instances live in')).regex(/^vpc-[0-9a-f]{8,17}$/, 'a VPC id like vpc-0123abcd'),
  loadBalancerSubnetIds: z.array(z.string().regex(/^subnet-[0-9a-f]{8,17}$/)).min(2, 'an Application Load Balancer needs subnets in at least two availability zones'),
  instanceSubnetIds: z.array(z.string().regex(/^subnet-[0-9a-f]{8,17}$/)).min(1),
  instanceType: z.string().regex(/^[a-z][a-z0-9-]*\.[a-z0-9]+$/, 'an EC2 instance type like t3.small'),
  architecture,
  capacity: capacitySchema,
  targetCpuPercent: z.number().min(10).max(90),
  appPort: z.number().int().min(1024).max(65_535),
  ingressCidrs: z.array(z.cidrv4()).min(1),
  certificateArn: z.string().startsWith('arn:aws:acm:').nullable(),
  apiKeysParameter: z.string().regex(/^\/[a-zA-Z0-9_./-]+$/, 'an SSM parameter name starting with /'),
  volumeSizeGb: z.number().int().min(8).max(200),
  logLevel,
  logRetentionDays: retentionDays,
});

export const infraConfigSchema = z.object({
  environment: name,
  region: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'an AWS region like us-east-1'),
  accountId: z.string(required('the 12-digit AWS account id')).regex(/^\d{12}$/, 'a 12-digit AWS account id'),
  namePrefix,
  tags: z.record(z.string(), z.string()),
  state: stateSchema,
  registry: registrySchema,
  models: modelsSchema,
  lambdaApi: lambdaApiSchema,
  ec2Api: ec2ApiSchema,
});

export type InfraConfig = z.infer<typeof infraConfigSchema>;
export type StateConfig = z.infer<typeof stateSchema>;
export type Architecture = z.infer<typeof architecture>;
