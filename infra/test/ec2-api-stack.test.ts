import { describe, expect, it } from 'vitest';
import { ec2ApiProps } from '../src/app';
import { Ec2ApiStack } from '../src/stacks/ec2-api-stack';
import { deploymentOf, LONGEST, loadConfig, resources, SERVER_DIGEST, statements, synthStack, TEST_CERTIFICATE, theResource, VISION, WITH_HTTPS, type TerraformJson } from './synthesized';

const dev = synthStack((app) => new Ec2ApiStack(app, ec2ApiProps(loadConfig('dev'), deploymentOf(VISION, 'dev'))));
// With a certificate from the account values (INFRA_CERTIFICATE_ARN), in prod.
const prod = synthStack((app) =>
  new Ec2ApiStack(app, ec2ApiProps(loadConfig('prod', WITH_HTTPS), deploymentOf(LONGEST, 'prod'))),
);

// gRPC on (it needs the certificate), with a gRPC port unlike the committed defaults.
const GRPC = { listenerPort: 50051, port: 9091 };
const grpc = synthStack((app) =>
  new Ec2ApiStack(app, ec2ApiProps(loadConfig('prod', { ...WITH_HTTPS, INFRA_INGRESS_CIDRS: '198.51.100.0/24' }, { ec2Api: { grpc: GRPC } }), deploymentOf(LONGEST, 'prod'))),
);

const sgRef = (json: TerraformJson, namePart: string) => {
  const [id, ...others] = Object.entries(json.resource?.['aws_security_group'] ?? {})
    .filter(([, sg]) => String(sg['name']).endsWith(namePart))
    .map(([logicalId]) => `\${aws_security_group.${logicalId}.id}`);
  expect(others).toEqual([]);
  return id!;
};

describe('<service>-ec2-api stack: its own Auto Scaling group', () => {
  it('sizes the group from the service’s service.json, across the instance subnets, replacing instances that fail the ELB check', () => {
    expect(theResource(dev, 'aws_autoscaling_group')).toMatchObject({
      name: 'onnx-serve-dev-vision',
      min_size: 2,
      max_size: 5,
      vpc_zone_identifier: ['subnet-1111111111111111a', 'subnet-1111111111111111b'],
      health_check_type: 'ELB',
      target_group_arns: [expect.stringContaining('aws_lb_target_group.')],
      launch_template: { version: expect.stringContaining('latest_version') },
      // Time to boot and load the models before a failed check replaces the instance.
      health_check_grace_period: 300,
      // Replacements turn healthy before the instances they replace stop: a one-instance fleet never has none.
      instance_refresh: { strategy: 'Rolling', preferences: { min_healthy_percentage: 100, max_healthy_percentage: 200, instance_warmup: '300' } },
      lifecycle: { ignore_changes: ['desired_capacity'] },
    });
    // The CPU target owns the size between min and max: a desired capacity would reset it on every apply.
    expect(theResource(dev, 'aws_autoscaling_group')).not.toHaveProperty('desired_capacity');
    expect(theResource(prod, 'aws_autoscaling_group')).toMatchObject({ min_size: 1, max_size: 2 });
    expect(theResource(prod, 'aws_autoscaling_policy')).toMatchObject({
      policy_type: 'TargetTrackingScaling',
      target_tracking_configuration: { target_value: 60, predefined_metric_specification: { predefined_metric_type: 'ASGAverageCPUUtilization' } },
    });
  });
});

describe('<service>-ec2-api stack: the launch template', () => {
  const template = theResource(dev, 'aws_launch_template');
  const userData = Buffer.from(String(template['user_data']), 'base64').toString('utf8');

  it('requires IMDSv2, encrypts the root volume and offers no SSH key', () => {
    expect(template).toMatchObject({
      // Hop limit 2: the container is one hop further than the host, and with 1 loses its credentials.
      metadata_options: { http_tokens: 'required', http_endpoint: 'enabled', http_put_response_hop_limit: 2 },
      block_device_mappings: [{ device_name: '/dev/xvda', ebs: { encrypted: 'true', volume_type: 'gp3', volume_size: 30 } }],
      image_id: 'resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64',
      instance_type: 'm6i.large',
    });
    expect(theResource(prod, 'aws_launch_template')['instance_type']).toBe('t3.micro');
    expect(template).not.toHaveProperty('key_name');
  });

  it('tags the instances, their volumes and network interfaces like every resource of the stack', () => {
    const tags = {
      Project: 'onnx-serve',
      Owner: 'platform',
      Service: 'vision',
      Environment: 'dev',
      Stack: 'vision-ec2-api',
      ManagedBy: 'onnx-serve',
      Name: 'onnx-serve-dev-vision',
    };
    expect(template['tag_specifications']).toEqual([
      { resource_type: 'instance', tags },
      { resource_type: 'volume', tags },
      { resource_type: 'network-interface', tags },
    ]);
  });

  it('installs Docker, logs in to ECR and runs the service’s server image by digest with a restart policy', () => {
    expect(userData).toMatch(/^#!\/bin\/bash\nset -euo pipefail\n/);
    expect(userData).toContain('dnf install -y docker');
    expect(userData).toContain('docker login --username AWS --password-stdin 123456789012.dkr.ecr.us-east-1.amazonaws.com');
    expect(userData).toContain('--restart unless-stopped');
    expect(userData).toContain(`'123456789012.dkr.ecr.us-east-1.amazonaws.com/onnx-serve-dev-vision-server@${SERVER_DIGEST}'`);
    expect(userData).toContain("--env MODEL_S3_URI='s3://onnx-serve-test-models-123456789012/models/vision/'");
    expect(userData).toContain('--publish 8080:8080');
    expect(userData).toContain("--name '/onnx-serve/dev/vision/api-keys' --with-decryption");
    expect(userData).toContain("awslogs-group='/ec2/onnx-serve-dev-vision'");
  });

  it('gives docker stop more time than the server’s drain, and leaves the worker count to the instance’s CPUs', () => {
    const stopTimeout = Number(/--stop-timeout (\d+) /.exec(userData)?.[1]);
    const drainMs = Number(/--env SHUTDOWN_TIMEOUT_MS=(\d+) /.exec(userData)?.[1]);
    expect([stopTimeout, drainMs]).toEqual([25, 10_000]);
    expect(stopTimeout * 1000).toBeGreaterThan(drainMs);
    // WEB_CONCURRENCY defaults to the CPU count: pinned here, an m6i.large and an m6i.4xlarge would run alike.
    expect(userData).not.toContain('WEB_CONCURRENCY');
    // gRPC is off: its port is neither published nor set.
    expect(userData).not.toContain('GRPC_PORT');
    expect(userData.match(/--publish \S+/g)).toEqual(['--publish 8080:8080']);
  });

  it('gives the instances a role for their service’s image, model prefix, logs and API keys, and Session Manager only', () => {
    const policy = resources(dev, 'aws_iam_role_policy').find((p) => String(p['role']).includes('fleet_role'));
    const bySid = Object.fromEntries(statements(policy!).map((s) => [s.Sid, s]));
    expect(Object.keys(bySid)).toEqual([
      'EcrLogin',
      'PullImage',
      'ReadModels',
      'ListModels',
      'WriteLogs',
      'ReadApiKeys',
      'SessionManagerRegister',
      'SessionManagerChannels',
    ]);
    expect(bySid['PullImage']!.Resource).toBe('arn:aws:ecr:us-east-1:123456789012:repository/onnx-serve-dev-vision-server');
    expect(bySid['ReadModels']).toMatchObject({ Action: 's3:GetObject', Resource: 'arn:aws:s3:::onnx-serve-test-models-123456789012/models/vision/*' });
    expect(bySid['ListModels']).toMatchObject({ Condition: { StringLike: { 's3:prefix': ['models/vision/*'] } } });
    expect(bySid['ReadApiKeys']!.Resource).toBe('arn:aws:ssm:us-east-1:123456789012:parameter/onnx-serve/dev/vision/api-keys');
    expect(theResource(dev, 'aws_iam_instance_profile')['role']).toMatch(/aws_iam_role\.fleet_role/);
  });
});

describe('<service>-ec2-api stack: its own load balancer and security groups', () => {
  it('health-checks the readiness route on the app port, in the account’s VPC', () => {
    expect(theResource(dev, 'aws_lb_target_group')).toMatchObject({
      name: 'onnx-serve-dev-vision',
      port: 8080,
      protocol: 'HTTP',
      vpc_id: 'vpc-0123456789abcdef0',
      health_check: { path: '/ready', matcher: '200' },
    });
    expect(theResource(dev, 'aws_lb')).toMatchObject({
      name: 'onnx-serve-dev-vision',
      load_balancer_type: 'application',
      internal: false,
      subnets: ['subnet-0000000000000000a', 'subnet-0000000000000000b'],
      drop_invalid_header_fields: true,
    });
  });

  it('takes only port 80 from the deployer’s CIDRs without a certificate', () => {
    const lbSg = sgRef(dev, '-lb');
    const fromCidrs = resources(dev, 'aws_vpc_security_group_ingress_rule').filter((r) => r['cidr_ipv4']);
    expect(fromCidrs).toEqual([expect.objectContaining({ security_group_id: lbSg, ip_protocol: 'tcp', from_port: 80, to_port: 80, cidr_ipv4: '203.0.113.0/24' })]);
    expect(resources(dev, 'aws_lb_listener')).toEqual([expect.objectContaining({ port: 80, protocol: 'HTTP', default_action: [expect.objectContaining({ type: 'forward' })] })]);
  });

  it('refuses plain HTTP from the whole internet, which would carry API keys in cleartext', () => {
    expect(() => ec2ApiProps(loadConfig('dev', { INFRA_INGRESS_CIDRS: '' }), deploymentOf(VISION, 'dev'))).toThrow(
      'the vision-ec2-api stack would take API keys over plain HTTP from 0.0.0.0/0: set INFRA_CERTIFICATE_ARN (HTTPS), or INFRA_INGRESS_CIDRS',
    );
  });

  it('keeps prod’s load balancer from deletion and writes access logs to a private bucket of its own', () => {
    expect(theResource(dev, 'aws_lb')).toMatchObject({ enable_deletion_protection: false });
    const lb = theResource(prod, 'aws_lb');
    expect(lb).toMatchObject({ enable_deletion_protection: true, access_logs: { enabled: true, bucket: expect.stringMatching(/^\$\{aws_s3_bucket\.load-balancer_bucket_\w+\.bucket}$/) } });
    expect(lb['depends_on']).toEqual([expect.stringMatching(/^aws_s3_bucket_policy\.load-balancer_tls-only_/)]);
    expect(theResource(prod, 'aws_s3_bucket')).toEqual({ bucket: 'onnx-serve-prod-fraud-scoring-v2-lb-logs-123456789012', force_destroy: false });
    const [, delivery, ...others] = statements(theResource(prod, 'aws_s3_bucket_policy'));
    expect(others).toEqual([]);
    // us-east-1 delivers as its Elastic Load Balancing account.
    expect(delivery).toEqual({
      Sid: 'LoadBalancerAccessLogs',
      Effect: 'Allow',
      Principal: { AWS: 'arn:aws:iam::127311923021:root' },
      Action: 's3:PutObject',
      Resource: expect.stringMatching(/\.arn}\/\*$/),
    });
    expect(theResource(prod, 'aws_s3_bucket_lifecycle_configuration')['rule']).toEqual([
      expect.objectContaining({ id: 'expire-logs', expiration: [{ days: 90 }] }),
    ]);
  });

  it('with a certificate serves HTTPS on 443 and redirects 80 to it', () => {
    const ports = resources(prod, 'aws_vpc_security_group_ingress_rule').filter((r) => r['cidr_ipv4']).map((r) => r['from_port']);
    expect(ports.sort()).toEqual([443, 80]);
    const listeners = resources(prod, 'aws_lb_listener');
    expect(listeners).toContainEqual(
      expect.objectContaining({ port: 443, protocol: 'HTTPS', certificate_arn: TEST_CERTIFICATE, ssl_policy: 'ELBSecurityPolicy-TLS13-1-2-2021-06' }),
    );
    expect(listeners).toContainEqual(
      expect.objectContaining({ port: 80, default_action: [expect.objectContaining({ type: 'redirect', redirect: expect.objectContaining({ protocol: 'HTTPS' }) })] }),
    );
  });

  it('lets the instances take only the app port, only from the load balancer security group', () => {
    const lbSg = sgRef(dev, '-lb');
    const instanceSg = sgRef(dev, '-instances');
    const intoInstances = resources(dev, 'aws_vpc_security_group_ingress_rule').filter((r) => r['security_group_id'] === instanceSg);
    expect(intoInstances).toEqual([
      expect.objectContaining({ referenced_security_group_id: lbSg, ip_protocol: 'tcp', from_port: 8080, to_port: 8080 }),
    ]);
    expect(intoInstances[0]).not.toHaveProperty('cidr_ipv4');
    expect(resources(dev, 'aws_vpc_security_group_egress_rule')).toContainEqual(
      expect.objectContaining({ security_group_id: lbSg, referenced_security_group_id: instanceSg, from_port: 8080, to_port: 8080 }),
    );
  });

  it('outputs the load balancer URL', () => {
    expect(dev.output?.['url']).toEqual({ value: expect.stringMatching(/^http:\/\/\$\{aws_lb\.[\w-]+\.dns_name}$/) });
    expect(prod.output?.['url']).toEqual({ value: expect.stringMatching(/^https:\/\//) });
  });
});

describe('<service>-ec2-api stack: gRPC through the load balancer, from config', () => {
  const targetGroups = resources(grpc, 'aws_lb_target_group');
  const grpcGroupRef = () => {
    const [id, ...others] = Object.entries(grpc.resource?.['aws_lb_target_group'] ?? {})
      .filter(([, group]) => group['protocol_version'] === 'GRPC')
      .map(([logicalId]) => `\${aws_lb_target_group.${logicalId}.arn}`);
    expect(others).toEqual([]);
    return id!;
  };

  it('is off by default: one target group, one port into the instances', () => {
    expect(resources(dev, 'aws_lb_target_group')).toHaveLength(1);
    expect(resources(prod, 'aws_lb_target_group')).toEqual([expect.not.objectContaining({ protocol_version: 'GRPC' })]);
    expect(resources(prod, 'aws_lb_listener').map((l) => l['port']).sort()).toEqual([443, 80]);
    expect(prod.output).not.toHaveProperty('grpc_address');
  });

  it('forwards an HTTPS listener of its own to an HTTP/2 target group that speaks gRPC, health-checked over gRPC', () => {
    expect(targetGroups).toHaveLength(2);
    expect(targetGroups).toContainEqual(
      expect.objectContaining({
        // onnx-serve-prod-fraud-scoring-v2-grpc, shortened to the 32 characters a target group name allows.
        name: 'onnx-serve-prod-fraud-s-1daf9d97',
        port: 9091,
        protocol: 'HTTP',
        protocol_version: 'GRPC',
        vpc_id: 'vpc-0123456789abcdef0',
        health_check: expect.objectContaining({ protocol: 'HTTP', path: '/grpc.health.v1.Health/Check', matcher: '0' }),
      }),
    );
    expect(resources(grpc, 'aws_lb_listener')).toContainEqual({
      load_balancer_arn: expect.stringMatching(/^\$\{aws_lb\./),
      port: 50051,
      protocol: 'HTTPS',
      certificate_arn: TEST_CERTIFICATE,
      ssl_policy: 'ELBSecurityPolicy-TLS13-1-2-2021-06',
      default_action: [{ type: 'forward', target_group_arn: grpcGroupRef() }],
    });
    expect(theResource(grpc, 'aws_autoscaling_group')['target_group_arns']).toEqual([expect.stringMatching(/aws_lb_target_group\./), grpcGroupRef()]);
    expect(grpc.output?.['grpc_address']).toEqual({ value: expect.stringMatching(/^\$\{aws_lb\.[\w-]+\.dns_name}:50051$/) });
  });

  it('opens the gRPC listener port from the configured CIDRs only, and the container’s gRPC port from the load balancer only', () => {
    const lbSg = sgRef(grpc, '-lb');
    const instanceSg = sgRef(grpc, '-instances');
    const ingress = resources(grpc, 'aws_vpc_security_group_ingress_rule');
    const fromCidrs = ingress.filter((r) => r['cidr_ipv4']).map((r) => [r['security_group_id'], r['from_port'], r['to_port'], r['cidr_ipv4']]);
    expect(fromCidrs.sort((a, b) => Number(a[1]) - Number(b[1]))).toEqual([
      [lbSg, 80, 80, '198.51.100.0/24'],
      [lbSg, 443, 443, '198.51.100.0/24'],
      [lbSg, 50051, 50051, '198.51.100.0/24'],
    ]);
    const intoInstances = ingress.filter((r) => r['security_group_id'] === instanceSg);
    expect(intoInstances.map((r) => [r['referenced_security_group_id'], r['from_port'], r['to_port'], r['cidr_ipv4']]).sort()).toEqual([
      [lbSg, 8080, 8080, undefined],
      [lbSg, 9091, 9091, undefined],
    ]);
    expect(resources(grpc, 'aws_vpc_security_group_egress_rule').filter((r) => r['security_group_id'] === lbSg).map((r) => [r['referenced_security_group_id'], r['from_port']]).sort()).toEqual([
      [instanceSg, 8080],
      [instanceSg, 9091],
    ]);
  });

  it('publishes the container’s gRPC port and hands it to the server as GRPC_PORT', () => {
    const userData = Buffer.from(String(theResource(grpc, 'aws_launch_template')['user_data']), 'base64').toString('utf8');
    expect(userData.match(/--publish \S+/g)).toEqual(['--publish 8080:8080', '--publish 9091:9091']);
    expect(userData).toContain('--env GRPC_PORT=9091 ');
  });

  it('alarms when an instance fails its gRPC health check', () => {
    const alarm = resources(grpc, 'aws_cloudwatch_metric_alarm').find((a) => a['alarm_name'] === 'onnx-serve-prod-fraud-scoring-v2-grpc-unhealthy-hosts');
    expect(alarm).toMatchObject({
      metric_name: 'UnHealthyHostCount',
      threshold: 0,
      dimensions: { TargetGroup: expect.stringMatching(/aws_lb_target_group\.load-balancer_grpc-targets_\w+\.arn_suffix/) },
    });
  });

  it('refuses gRPC without a certificate, and a gRPC port that is the app port', () => {
    expect(() => ec2ApiProps(loadConfig('dev', {}, { ec2Api: { grpc: GRPC } }), deploymentOf(VISION, 'dev'))).toThrow(
      'the vision-ec2-api stack: ec2Api.grpc needs INFRA_CERTIFICATE_ARN (or "certificateArn" in',
    );
    expect(() => loadConfig('dev', {}, { ec2Api: { grpc: { listenerPort: 50051, port: 8080 } } })).toThrow('the gRPC port must differ from appPort');
    expect(() => loadConfig('dev', {}, { ec2Api: { grpc: { listenerPort: 443, port: 8081 } } })).toThrow('not 80 or 443, which serve HTTP');
  });
});

describe('<service>-ec2-api stack: its alarms', () => {
  it('alarm on the 5xx rate, p99 latency and unhealthy hosts, to the service’s topic', () => {
    const alarms = Object.fromEntries(resources(dev, 'aws_cloudwatch_metric_alarm').map((a) => [String(a['alarm_name']), a]));
    const topic = [expect.stringMatching(/aws_sns_topic\.alarms_topic_\w+\.arn/)];
    const lb = { LoadBalancer: expect.stringMatching(/aws_lb\.\S+\.arn_suffix/) };
    expect(Object.keys(alarms).sort()).toEqual(['onnx-serve-dev-vision-5xx-rate', 'onnx-serve-dev-vision-p99-latency', 'onnx-serve-dev-vision-unhealthy-hosts']);
    const rate = alarms['onnx-serve-dev-vision-5xx-rate']!;
    expect(rate).toMatchObject({ threshold: 5, alarm_actions: topic, ok_actions: topic, treat_missing_data: 'notBreaching' });
    expect(rate['metric_query']).toContainEqual(expect.objectContaining({ id: 'rate', expression: '100 * (FILL(target, 0) + FILL(edge, 0)) / requests', return_data: true }));
    expect(alarms['onnx-serve-dev-vision-p99-latency']).toMatchObject({ metric_name: 'TargetResponseTime', extended_statistic: 'p99', threshold: 5, dimensions: lb });
    expect(alarms['onnx-serve-dev-vision-unhealthy-hosts']).toMatchObject({
      metric_name: 'UnHealthyHostCount',
      statistic: 'Maximum',
      threshold: 0,
      alarm_actions: topic,
      dimensions: { ...lb, TargetGroup: expect.stringMatching(/aws_lb_target_group\.\S+\.arn_suffix/) },
    });
  });
});

describe('<service>-ec2-api stack: its own state', () => {
  it('keeps state under a key of its service and target, per environment', () => {
    expect(String(dev.terraform?.backend?.['local']?.['path'])).toMatch(/\/infra\/state\/dev\/services\/vision\/ec2-api\.tfstate$/);
    expect(prod.terraform?.backend?.['s3']?.['key']).toBe('onnx-serve/prod/services/fraud-scoring-v2/ec2-api.tfstate');
  });
});
