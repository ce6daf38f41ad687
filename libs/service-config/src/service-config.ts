// services/<name>/service.json: who owns a service, where it runs, and per environment what its infra needs.
// The Nx plugin, the generators and the infra stacks all read it through parseServiceConfig.
import * as z from 'zod';

export const serviceTargets = ['lambda', 'server'] as const;
export type ServiceTarget = (typeof serviceTargets)[number];

/**
 * A service name becomes an Nx project name, a path segment, part of AWS resource names and stack names
 * (`<service>-lambda-api`), so it is short, lowercase and dash-separated.
 */
export const serviceNamePattern = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
export const serviceNameMaxLength = 16;

export const serviceNameSchema = z
  .string()
  .max(serviceNameMaxLength, `at most ${serviceNameMaxLength} characters (it becomes part of AWS resource names)`)
  .regex(serviceNamePattern, 'lowercase letters and digits in dash-separated words, starting with a letter (e.g. fraud-scoring)');

/** A CODEOWNERS owner: a GitHub user (@alice) or team (@org/team). */
export const ownerSchema = z
  .string()
  .regex(/^@[A-Za-z0-9][A-Za-z0-9-]*(\/[A-Za-z0-9][A-Za-z0-9._-]*)?$/, 'a GitHub handle, @user or @org/team');

const positiveInt = z.number().int().positive();

const lambdaSettings = z
  .object({
    memoryMb: z.number().int().min(128).max(10_240),
    reservedConcurrency: positiveInt,
  })
  .strict();

const serverSettings = z
  .object({
    instanceType: z.string().regex(/^[a-z][a-z0-9-]*\.[a-z0-9]+$/, 'an EC2 instance type like t3.small'),
    minInstances: z.number().int().min(0),
    maxInstances: positiveInt,
  })
  .strict()
  .refine((fleet) => fleet.minInstances <= fleet.maxInstances, {
    message: 'minInstances must not exceed maxInstances',
    path: ['minInstances'],
  });

const usagePlan = z
  .object({
    /** Steady requests per second and the burst, per API key (API Gateway throttling). */
    throttle: z.object({ rateLimit: positiveInt, burstLimit: positiveInt }).strict(),
    quota: z.object({ limit: positiveInt, period: z.enum(['DAY', 'WEEK', 'MONTH']) }).strict(),
  })
  .strict();

const environmentSettings = z
  .object({
    lambda: lambdaSettings.optional(),
    server: serverSettings.optional(),
    /** The Lambda target's API Gateway usage plan. */
    usagePlan: usagePlan.optional(),
  })
  .strict();

const environmentName = z.string().regex(/^[a-z][a-z0-9-]{0,15}$/, 'an environment name like dev or prod');

export const serviceConfigSchema = z
  .object({
    description: z.string().optional(),
    owners: z.array(ownerSchema).min(1, 'at least one owner (a GitHub handle, for CODEOWNERS)'),
    targets: z
      .array(z.enum(serviceTargets))
      .min(1, 'at least one of lambda, server')
      .refine((targets) => new Set(targets).size === targets.length, 'each target once'),
    environments: z.record(environmentName, environmentSettings),
  })
  .strict();

export type ServiceConfig = z.infer<typeof serviceConfigSchema>;
export type ServiceEnvironment = z.infer<typeof environmentSettings>;

export interface ServiceIssue {
  path: string;
  message: string;
}

export class ServiceConfigError extends Error {
  override name = 'ServiceConfigError';
  constructor(
    readonly source: string,
    readonly issues: ServiceIssue[],
  ) {
    super(`${source}: ${issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ')}`);
  }
}

/** Each environment must carry the settings of every target the service deploys. */
function missingTargetSettings(config: ServiceConfig): ServiceIssue[] {
  const issues: ServiceIssue[] = [];
  for (const [env, settings] of Object.entries(config.environments)) {
    for (const target of config.targets) {
      if (!settings[target]) issues.push({ path: `environments.${env}.${target}`, message: `required: the service has the ${target} target` });
    }
    if (config.targets.includes('lambda') && !settings.usagePlan) {
      issues.push({ path: `environments.${env}.usagePlan`, message: 'required: the lambda target is served through API Gateway with a usage plan' });
    }
  }
  return issues;
}

/**
 * @param json the parsed service.json
 * @param source where it came from (`services/examples/service.json`), named in every message
 */
export function parseServiceConfig(json: unknown, source: string): ServiceConfig {
  const parsed = serviceConfigSchema.safeParse(json);
  if (!parsed.success) {
    throw new ServiceConfigError(
      source,
      parsed.error.issues.map((issue) => ({ path: issue.path.join('.') || '(root)', message: issue.message })),
    );
  }
  const issues = missingTargetSettings(parsed.data);
  if (issues.length > 0) throw new ServiceConfigError(source, issues);
  return parsed.data;
}

/** The name's problem in words, or undefined when it is a valid service name. */
export function serviceNameProblem(name: string): string | undefined {
  const parsed = serviceNameSchema.safeParse(name);
  return parsed.success ? undefined : parsed.error.issues.map((issue) => issue.message).join('; ');
}

/** The Nx tag of an owner: `scope:` and the handle without its `@` (`@acme/fraud` → `scope:acme/fraud`). */
export const scopeTag = (owner: string): string => `scope:${owner.slice(1)}`;
