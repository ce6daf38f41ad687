// Guardrails over every synthesised stack of every committed environment: what a reviewer would otherwise
// have to check by eye in each change.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { PolicyStatement } from '../src/aws/iam-policy';
import { MANAGED_BY_TAG } from '../src/aws/names';
import { allows } from './iam-evaluator';
import { asList, loadConfig, resources, statements, synthApp, testDeployments, WITH_HTTPS, type ConfigChanges, type Resource, type TerraformJson } from './synthesized';

interface Scanned {
  readonly name: string;
  readonly environment: string;
  readonly env: Record<string, string>;
  readonly changes: ConfigChanges;
}

// prod with a certificate, so the HTTPS listener and its port are scanned too; and with gRPC on, its listener.
const SCANNED: Scanned[] = [
  { name: 'dev', environment: 'dev', env: {}, changes: {} },
  { name: 'prod', environment: 'prod', env: WITH_HTTPS, changes: {} },
  { name: 'prod+grpc', environment: 'prod', env: WITH_HTTPS, changes: { ec2Api: { grpc: { listenerPort: 50051, port: 8081 } } } },
];
const stacks = SCANNED.flatMap(({ name, environment, env, changes }) =>
  Object.entries(synthApp(loadConfig(environment, env, changes), testDeployments(environment)).stacks)
    .filter(([id]) => name !== 'prod+grpc' || id.endsWith('-ec2-api'))
    .map(([id, json]) => ({ name: `${name}/${id}`, json })),
);

const WORLD = ['0.0.0.0/0', '::/0'];
const ACCOUNT = '123456789012';
const BOUNDARY_ARN = `arn:aws:iam::${ACCOUNT}:policy/onnx-serve-permissions-boundary`;
const boundary = (
  JSON.parse(
    readFileSync(new URL('../iam/permissions-boundary.json', import.meta.url), 'utf8').replaceAll('{{ACCOUNT_ID}}', ACCOUNT).replaceAll('{{REGION}}', 'us-east-1'),
  ) as { Statement: PolicyStatement[] }
).Statement;
// A log group's ARN is a reference until apply: stand in one of this account's groups for it.
const concrete = (resource: string) => resource.replace(/^\$\{aws_cloudwatch_log_group\.[\w-]+\.arn}/, `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:/aws/lambda/onnx-serve-dev-x`);
// Actions AWS authorises only against Resource "*": they name no resource.
const ACTIONS_WITHOUT_RESOURCES = new Set([
  'ecr:GetAuthorizationToken',
  'ssmmessages:CreateControlChannel',
  'ssmmessages:CreateDataChannel',
  'ssmmessages:OpenControlChannel',
  'ssmmessages:OpenDataChannel',
]);

interface Rule {
  direction: 'ingress' | 'egress';
  group: unknown;
  protocol: unknown;
  from: unknown;
  to: unknown;
  cidrs: string[];
}

function securityGroupRules(json: TerraformJson): Rule[] {
  const standalone = (direction: Rule['direction']) =>
    resources(json, `aws_vpc_security_group_${direction}_rule`).map((r) => ({
      direction,
      group: r['security_group_id'],
      protocol: r['ip_protocol'],
      from: r['from_port'],
      to: r['to_port'],
      cidrs: [r['cidr_ipv4'], r['cidr_ipv6']].filter((c): c is string => typeof c === 'string'),
    }));
  const legacy = resources(json, 'aws_security_group_rule').map((r) => ({
    direction: r['type'] as Rule['direction'],
    group: r['security_group_id'],
    protocol: r['protocol'],
    from: r['from_port'],
    to: r['to_port'],
    cidrs: [...asList(r['cidr_blocks'] as string[]), ...asList(r['ipv6_cidr_blocks'] as string[])],
  }));
  const inline = resources(json, 'aws_security_group').flatMap((sg) =>
    (['ingress', 'egress'] as const).flatMap((direction) =>
      asList(sg[direction] as Resource[]).map((r) => ({
        direction,
        group: 'inline',
        protocol: r['protocol'],
        from: r['from_port'],
        to: r['to_port'],
        cidrs: [...asList(r['cidr_blocks'] as string[]), ...asList(r['ipv6_cidr_blocks'] as string[])],
      })),
    ),
  );
  return [...standalone('ingress'), ...standalone('egress'), ...legacy, ...inline];
}

// Every IAM-language document a stack can hold, identity- and resource-based.
const POLICY_PROPERTIES: Array<[type: string, property: string]> = [
  ['aws_iam_role_policy', 'policy'],
  ['aws_iam_policy', 'policy'],
  ['aws_s3_bucket_policy', 'policy'],
  ['aws_ecr_repository_policy', 'policy'],
  ['aws_iam_role', 'assume_role_policy'],
];

const policyStatements = (json: TerraformJson) =>
  POLICY_PROPERTIES.flatMap(([type, property]) => resources(json, type).flatMap((r) => statements(r, property)));

const referencesBucket = (resource: Resource, bucketIds: string[]) => bucketIds.some((id) => String(resource['bucket']).includes(`aws_s3_bucket.${id}.`));

describe.each(stacks)('$name', ({ json }) => {
  it('takes traffic from the whole internet only on the load balancer’s listener ports, and plain HTTP only on 80', () => {
    const lbGroups = resources(json, 'aws_lb').flatMap((lb) => asList(lb['security_groups'] as string[]));
    const listeners = resources(json, 'aws_lb_listener');
    const fromWorld = securityGroupRules(json).filter((r) => r.direction === 'ingress' && r.cidrs.some((c) => WORLD.includes(c)));
    for (const rule of fromWorld) {
      expect(lbGroups).toContain(rule.group);
      expect(listeners.map((l) => l['port'])).toContain(rule.from);
    }
    for (const listener of listeners) if (listener['protocol'] === 'HTTP') expect(listener['port']).toBe(80);
  });

  it('serves HTTPS with TLS 1.2 or later only, and logs every load balancer’s requests', () => {
    for (const listener of resources(json, 'aws_lb_listener')) {
      if (listener['protocol'] === 'HTTPS') expect(listener['ssl_policy']).toBe('ELBSecurityPolicy-TLS13-1-2-2021-06');
      else expect(listener).not.toHaveProperty('ssl_policy');
    }
    for (const lb of resources(json, 'aws_lb')) expect(lb['access_logs']).toMatchObject({ enabled: true });
  });

  it('opens single ports only: no ranges, no all-protocol rules, never SSH', () => {
    for (const rule of securityGroupRules(json)) {
      expect(rule.protocol).toBe('tcp');
      expect(rule.from).toBe(rule.to);
      expect(rule.from).not.toBe(22);
    }
  });

  it('grants no wildcard action, and Resource "*" only to actions that name no resource', () => {
    for (const statement of policyStatements(json)) {
      expect(statement).not.toHaveProperty('NotAction');
      expect(statement).not.toHaveProperty('NotResource');
      if (statement.Effect !== 'Allow') continue;
      for (const action of asList(statement.Action)) expect(action).not.toMatch(/(^|:)\*$/);
      if (asList(statement.Resource).includes('*')) {
        for (const action of asList(statement.Action)) expect(ACTIONS_WITHOUT_RESOURCES).toContain(action);
      }
    }
  });

  it('locks the provider to the one account and tags every resource so the deployer may manage it', () => {
    const [provider, ...others] = json.provider?.['aws'] ?? [];
    expect(others).toEqual([]);
    expect(provider).toMatchObject({ allowed_account_ids: [ACCOUNT], region: 'us-east-1' });
    expect(provider!['default_tags']).toEqual([{ tags: expect.objectContaining({ Project: 'onnx-serve', [MANAGED_BY_TAG.key]: MANAGED_BY_TAG.value }) }]);
  });

  it('creates every role under the permissions boundary, which allows everything its policy grants', () => {
    for (const role of resources(json, 'aws_iam_role')) expect(role['permissions_boundary']).toBe(BOUNDARY_ARN);
    for (const statement of resources(json, 'aws_iam_role_policy').flatMap((policy) => statements(policy))) {
      for (const action of asList(statement.Action)) {
        for (const resource of asList(statement.Resource)) expect(allows(boundary, { action, resource: concrete(resource) }), `${action} on ${resource}`).toBe(true);
      }
    }
  });

  it('attaches no managed policies, so every permission is in this repository', () => {
    expect(resources(json, 'aws_iam_role_policy_attachment')).toEqual([]);
    expect(resources(json, 'aws_iam_policy_attachment')).toEqual([]);
    for (const role of resources(json, 'aws_iam_role')) expect(role).not.toHaveProperty('managed_policy_arns');
  });

  it('requires IMDSv2 with a hop limit of 2 everywhere an instance can start', () => {
    for (const launcher of [...resources(json, 'aws_launch_template'), ...resources(json, 'aws_instance')]) {
      // Hop limit 2 exactly: 1 cuts the containers off their credentials, more lets other hops reach them.
      expect(launcher['metadata_options']).toMatchObject({ http_tokens: 'required', http_put_response_hop_limit: 2 });
    }
    expect(resources(json, 'aws_launch_configuration')).toEqual([]);
  });

  it('encrypts every bucket, repository and volume, and blocks public access to every bucket', () => {
    const bucketIds = Object.keys(json.resource?.['aws_s3_bucket'] ?? {});
    for (const type of ['aws_s3_bucket_server_side_encryption_configuration', 'aws_s3_bucket_public_access_block']) {
      const covered = bucketIds.filter((id) => resources(json, type).some((r) => referencesBucket(r, [id])));
      expect(covered).toEqual(bucketIds);
    }
    for (const repository of resources(json, 'aws_ecr_repository')) {
      expect(repository['encryption_configuration']).toEqual([{ encryption_type: expect.stringMatching(/^(KMS|AES256)$/) }]);
    }
    for (const template of resources(json, 'aws_launch_template')) {
      const mappings = asList(template['block_device_mappings'] as Resource[]);
      expect(mappings.length).toBeGreaterThan(0);
      for (const mapping of mappings) expect(mapping['ebs']).toMatchObject({ encrypted: 'true' });
    }
    for (const volume of resources(json, 'aws_ebs_volume')) expect(volume['encrypted']).toBe(true);
  });
});

describe('the scans above', () => {
  it('have something to scan in every category', () => {
    const all = stacks.map((s) => s.json);
    expect(all.flatMap(securityGroupRules).length).toBeGreaterThan(0);
    expect(all.flatMap(policyStatements).length).toBeGreaterThan(0);
    expect(all.flatMap((json) => resources(json, 'aws_lb_listener')).filter((l) => l['protocol'] === 'HTTPS').map((l) => l['port'])).toEqual(
      expect.arrayContaining([443, 50051]),
    );
    for (const type of ['aws_launch_template', 'aws_s3_bucket', 'aws_ecr_repository', 'aws_lb']) {
      expect(all.flatMap((json) => resources(json, type)).length, type).toBeGreaterThan(0);
    }
  });
});
