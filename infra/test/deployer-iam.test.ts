// The IAM documents docs/deploy.md pastes into `aws iam`: valid once their placeholders are filled, the CI
// role assumable from this repository's main branch only, and the deployer unable to raise its own
// privileges along the known escalation paths, checked request by request with a small evaluator.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { PolicyStatement } from '../src/aws/iam-policy';
import { MANAGED_BY_TAG, PERMISSIONS_BOUNDARY_NAME } from '../src/aws/names';
import { allows, type IamRequest } from './iam-evaluator';
import { asList } from './synthesized';

const ACCOUNT = '123456789012';
const filled = (file: string) =>
  JSON.parse(
    readFileSync(new URL(`../iam/${file}`, import.meta.url), 'utf8')
      .replaceAll('{{ACCOUNT_ID}}', ACCOUNT)
      .replaceAll('{{REGION}}', 'us-east-1')
      .replaceAll('{{GITHUB_REPO}}', 'example/onnx-serve'),
  ) as { Statement: PolicyStatement[] };

const deployer = filled('deployer-policy.json').Statement;
const boundary = filled('permissions-boundary.json').Statement;

const role = (name: string) => `arn:aws:iam::${ACCOUNT}:role/${name}`;
const DEPLOY_ROLE = role('github-deploy-onnx-serve');
const BOUNDARY = `arn:aws:iam::${ACCOUNT}:policy/${PERMISSIONS_BOUNDARY_NAME}`;
const ADMIN = 'arn:aws:iam::aws:policy/AdministratorAccess';
const FUNCTION_ROLE = role('onnx-serve-dev-fraud-lambda');
const INSTANCE_ROLE = role('onnx-serve-dev-vision-server');
const LOG_ROLE = role('onnx-serve-dev-apigw-logs');
const ec2 = (path: string) => `arn:aws:ec2:us-east-1:${ACCOUNT}:${path}`;
const apigw = (path: string) => `arn:aws:apigateway:us-east-1::${path}`;
const ours = { [`aws:ResourceTag/${MANAGED_BY_TAG.key}`]: MANAGED_BY_TAG.value };
const taggedOnCreate = { [`aws:RequestTag/${MANAGED_BY_TAG.key}`]: MANAGED_BY_TAG.value };
const withBoundary = { 'iam:PermissionsBoundary': BOUNDARY };
const passedTo = (service: string) => ({ 'iam:PassedToService': `${service}.amazonaws.com` });
const waf = (path: string) => `arn:aws:wafv2:us-east-1:${ACCOUNT}:regional/${path}`;
const OUR_ACL = waf('webacl/onnx-serve-dev-fraud-lambda/0000-1111');
const OUR_LB = `arn:aws:elasticloadbalancing:us-east-1:${ACCOUNT}:loadbalancer/app/onnx-serve-dev-vision/50dc6c495c0c9188`;
const OUR_STAGE = apigw('/restapis/abc123/stages/v1');
const FROM_OUR_TEMPLATE = { 'ec2:LaunchTemplate': ec2('launch-template/lt-0123456789abcdef0') };

const describeRequest = ({ action, resource, context }: IamRequest) =>
  `${action} on ${resource}${context ? ` with ${JSON.stringify(context)}` : ''}`;

// Known ways an identity that may touch IAM raises its own privileges (after Rhino Security Labs' list),
// applied to the deployer's own role, to the roles it manages and to anything else.
const ESCALATIONS: Array<[why: string, request: IamRequest]> = [
  ['write an inline policy into its own role', { action: 'iam:PutRolePolicy', resource: DEPLOY_ROLE }],
  ['…even were its role given the boundary', { action: 'iam:PutRolePolicy', resource: DEPLOY_ROLE, context: withBoundary }],
  ['attach a managed policy to its own role', { action: 'iam:AttachRolePolicy', resource: DEPLOY_ROLE, context: { 'iam:PolicyARN': ADMIN } }],
  ['change who may assume its own role', { action: 'iam:UpdateAssumeRolePolicy', resource: DEPLOY_ROLE }],
  ['make a role it manages assumable by itself', { action: 'iam:UpdateAssumeRolePolicy', resource: FUNCTION_ROLE }],
  ['create a role without the boundary', { action: 'iam:CreateRole', resource: role('onnx-serve-dev-admin') }],
  ['create a role with a boundary of its choosing', { action: 'iam:CreateRole', resource: role('onnx-serve-dev-admin'), context: { 'iam:PermissionsBoundary': ADMIN } }],
  ['write a policy into a role without the boundary', { action: 'iam:PutRolePolicy', resource: FUNCTION_ROLE }],
  ['attach a managed policy to a role it manages', { action: 'iam:AttachRolePolicy', resource: FUNCTION_ROLE, context: { ...withBoundary, 'iam:PolicyARN': ADMIN } }],
  ['remove the boundary of a role', { action: 'iam:DeleteRolePermissionsBoundary', resource: FUNCTION_ROLE, context: withBoundary }],
  ['swap the boundary of a role', { action: 'iam:PutRolePermissionsBoundary', resource: FUNCTION_ROLE, context: { 'iam:PermissionsBoundary': ADMIN } }],
  ['rewrite the boundary itself', { action: 'iam:CreatePolicyVersion', resource: BOUNDARY }],
  ['switch the boundary to another version', { action: 'iam:SetDefaultPolicyVersion', resource: BOUNDARY }],
  ['delete the boundary', { action: 'iam:DeletePolicy', resource: BOUNDARY }],
  ['create a managed policy', { action: 'iam:CreatePolicy', resource: `arn:aws:iam::${ACCOUNT}:policy/onnx-serve-admin` }],
  ['create a user', { action: 'iam:CreateUser', resource: `arn:aws:iam::${ACCOUNT}:user/onnx-serve-admin` }],
  ['create access keys for a user', { action: 'iam:CreateAccessKey', resource: `arn:aws:iam::${ACCOUNT}:user/admin` }],
  ['give a user a console password', { action: 'iam:CreateLoginProfile', resource: `arn:aws:iam::${ACCOUNT}:user/admin` }],
  ['change a user’s console password', { action: 'iam:UpdateLoginProfile', resource: `arn:aws:iam::${ACCOUNT}:user/admin` }],
  ['attach a policy to a user', { action: 'iam:AttachUserPolicy', resource: `arn:aws:iam::${ACCOUNT}:user/onnx-serve-x` }],
  ['write a policy into a user', { action: 'iam:PutUserPolicy', resource: `arn:aws:iam::${ACCOUNT}:user/onnx-serve-x` }],
  ['write a policy into a group', { action: 'iam:PutGroupPolicy', resource: `arn:aws:iam::${ACCOUNT}:group/onnx-serve-x` }],
  ['attach a policy to a group', { action: 'iam:AttachGroupPolicy', resource: `arn:aws:iam::${ACCOUNT}:group/onnx-serve-x` }],
  ['join a group', { action: 'iam:AddUserToGroup', resource: `arn:aws:iam::${ACCOUNT}:group/admins` }],
  ['pass any role to EC2', { action: 'iam:PassRole', resource: role('Admin'), context: passedTo('ec2') }],
  ['pass any role to Lambda', { action: 'iam:PassRole', resource: role('Admin'), context: passedTo('lambda') }],
  ['pass its own role to EC2', { action: 'iam:PassRole', resource: DEPLOY_ROLE, context: passedTo('ec2') }],
  ['pass a function role to EC2', { action: 'iam:PassRole', resource: FUNCTION_ROLE, context: passedTo('ec2') }],
  ['pass an instance role to Lambda', { action: 'iam:PassRole', resource: INSTANCE_ROLE, context: passedTo('lambda') }],
  ['pass a role it manages to CloudFormation', { action: 'iam:PassRole', resource: FUNCTION_ROLE, context: passedTo('cloudformation') }],
  ['pass a role it manages to Glue', { action: 'iam:PassRole', resource: INSTANCE_ROLE, context: passedTo('glue') }],
  ['assume a role it manages', { action: 'sts:AssumeRole', resource: FUNCTION_ROLE }],
  ['run a CloudFormation stack', { action: 'cloudformation:CreateStack', resource: `arn:aws:cloudformation:us-east-1:${ACCOUNT}:stack/x/1` }],
  ['run commands on any instance', { action: 'ssm:SendCommand', resource: ec2('instance/i-0123456789abcdef0') }],
  ['change an instance’s user data', { action: 'ec2:ModifyInstanceAttribute', resource: ec2('instance/i-0123456789abcdef0'), context: ours }],
  ['launch an instance outside a launch template', { action: 'ec2:RunInstances', resource: ec2('instance/*') }],
  ['launch from a launch template not its own', { action: 'ec2:RunInstances', resource: ec2('launch-template/lt-0123456789abcdef0') }],
  ['open a security group not its own', { action: 'ec2:AuthorizeSecurityGroupIngress', resource: ec2('security-group/sg-0123456789abcdef0') }],
  ['claim a security group by tagging it', { action: 'ec2:CreateTags', resource: ec2('security-group/sg-0123456789abcdef0'), context: taggedOnCreate }],
  ['change a launch template not its own', { action: 'ec2:CreateLaunchTemplateVersion', resource: ec2('launch-template/lt-0123456789abcdef0') }],
  ['create an untagged security group', { action: 'ec2:CreateSecurityGroup', resource: ec2('security-group/*') }],
  ['change a REST API not its own', { action: 'apigateway:PATCH', resource: apigw('/restapis/abc123') }],
  ['read another API’s keys', { action: 'apigateway:GET', resource: apigw('/apikeys/abc123') }],
  ['claim a REST API by tagging it', { action: 'apigateway:PUT', resource: apigw('/tags/arn%3Aaws%3Aapigateway%3A%3A%2Frestapis%2Fabc123'), context: taggedOnCreate }],
  ['create an untagged REST API', { action: 'apigateway:POST', resource: apigw('/restapis') }],
  ['replace another function’s code', { action: 'lambda:UpdateFunctionCode', resource: `arn:aws:lambda:us-east-1:${ACCOUNT}:function:admin-tool` }],
  ['use KMS keys outside ECR', { action: 'kms:CreateGrant', resource: `arn:aws:kms:us-east-1:${ACCOUNT}:key/0000` }],
  ['change a web ACL not its own', { action: 'wafv2:UpdateWebACL', resource: waf('webacl/corp-edge/0000-2222') }],
  ['delete a web ACL not its own', { action: 'wafv2:DeleteWebACL', resource: waf('webacl/corp-edge/0000-2222') }],
  ['put a web ACL on a load balancer not its own', { action: 'wafv2:AssociateWebACL', resource: `arn:aws:elasticloadbalancing:us-east-1:${ACCOUNT}:loadbalancer/app/corp-edge/1` }],
  ['take the web ACL off a load balancer not its own', { action: 'wafv2:DisassociateWebACL', resource: `arn:aws:elasticloadbalancing:us-east-1:${ACCOUNT}:loadbalancer/app/corp-edge/1` }],
  ['set the web ACL of an API stage not its own', { action: 'apigateway:SetWebACL', resource: apigw('/restapis/xyz789/stages/prod') }],
  ['change the state bucket’s policy', { action: 's3:PutBucketPolicy', resource: `arn:aws:s3:::onnx-serve-tfstate-${ACCOUNT}` }],
];

// What the stacks need, so the denials above are not a policy that denies everything.
const NEEDED: Array<[what: string, request: IamRequest]> = [
  ['create a role with the boundary', { action: 'iam:CreateRole', resource: FUNCTION_ROLE, context: withBoundary }],
  ['write the inline policy of a role with the boundary', { action: 'iam:PutRolePolicy', resource: INSTANCE_ROLE, context: withBoundary }],
  ['pass a function role to Lambda', { action: 'iam:PassRole', resource: FUNCTION_ROLE, context: passedTo('lambda') }],
  ['pass an instance role to EC2', { action: 'iam:PassRole', resource: INSTANCE_ROLE, context: passedTo('ec2') }],
  ['pass the log role to API Gateway', { action: 'iam:PassRole', resource: LOG_ROLE, context: passedTo('apigateway') }],
  ['create a tagged security group', { action: 'ec2:CreateSecurityGroup', resource: ec2('security-group/*'), context: taggedOnCreate }],
  ['tag a security group as it creates it', { action: 'ec2:CreateTags', resource: ec2('security-group/sg-1'), context: { 'ec2:CreateAction': 'CreateSecurityGroup' } }],
  ['open its own security group', { action: 'ec2:AuthorizeSecurityGroupIngress', resource: ec2('security-group/sg-1'), context: ours }],
  ['launch from its own launch template', { action: 'ec2:RunInstances', resource: ec2('launch-template/lt-1'), context: { ...ours, ...FROM_OUR_TEMPLATE } }],
  ['launch the instance of its own launch template', { action: 'ec2:RunInstances', resource: ec2('instance/*'), context: FROM_OUR_TEMPLATE }],
  ['create a tagged REST API', { action: 'apigateway:POST', resource: apigw('/restapis'), context: taggedOnCreate }],
  ['change its own REST API', { action: 'apigateway:PATCH', resource: apigw('/restapis/abc123/stages/v1'), context: ours }],
  ['set the account’s API Gateway log role', { action: 'apigateway:PATCH', resource: apigw('/account') }],
  ['create its alarms', { action: 'cloudwatch:PutMetricAlarm', resource: `arn:aws:cloudwatch:us-east-1:${ACCOUNT}:alarm:onnx-serve-dev-fraud-5xx-rate` }],
  ['create its alarm topics', { action: 'sns:CreateTopic', resource: `arn:aws:sns:us-east-1:${ACCOUNT}:onnx-serve-dev-fraud-alarms` }],
  ['create a web ACL with AWS managed rule groups', { action: 'wafv2:CreateWebACL', resource: OUR_ACL }],
  ['use an AWS managed rule group in it', { action: 'wafv2:CreateWebACL', resource: 'arn:aws:wafv2:us-east-1:aws:regional/managedruleset/AWSManagedRulesCommonRuleSet/1' }],
  ['update and tag its web ACL', { action: 'wafv2:TagResource', resource: OUR_ACL }],
  ['associate its web ACL', { action: 'wafv2:AssociateWebACL', resource: OUR_ACL }],
  ['…with its own load balancer', { action: 'wafv2:AssociateWebACL', resource: OUR_LB }],
  ['…and its load balancer take it', { action: 'elasticloadbalancing:SetWebAcl', resource: OUR_LB }],
  ['…with its own API stage', { action: 'wafv2:AssociateWebACL', resource: OUR_STAGE }],
  ['…and its stage take it', { action: 'apigateway:SetWebACL', resource: OUR_STAGE, context: ours }],
  ['read which web ACL guards its load balancer', { action: 'wafv2:GetWebACLForResource', resource: OUR_LB }],
  ['update its own functions', { action: 'lambda:UpdateFunctionCode', resource: `arn:aws:lambda:us-east-1:${ACCOUNT}:function:onnx-serve-dev-fraud` }],
];

describe('deployer IAM documents', () => {
  it('fill every placeholder and parse', () => {
    for (const file of ['deployer-policy.json', 'github-oidc-trust.json', 'permissions-boundary.json']) {
      expect(JSON.stringify(filled(file))).not.toMatch(/\{\{/);
    }
  });

  it('let GitHub OIDC assume the deploy role only from main of the one repository', () => {
    const [statement] = filled('github-oidc-trust.json').Statement;
    expect(statement).toMatchObject({
      Action: 'sts:AssumeRoleWithWebIdentity',
      Condition: {
        StringEquals: {
          'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com',
          'token.actions.githubusercontent.com:sub': 'repo:example/onnx-serve:ref:refs/heads/main',
        },
      },
    });
  });

  it.each(ESCALATIONS)('refuse the deployer to %s', (_why, request) => {
    expect(allows(deployer, request), describeRequest(request)).toBe(false);
  });

  it.each(NEEDED)('let the deployer %s', (_what, request) => {
    expect(allows(deployer, request), describeRequest(request)).toBe(true);
  });

  it('grant exactly the wafv2 actions the optional web ACLs need, none on every resource', () => {
    const wafStatements = deployer.filter((s) => asList(s.Action).some((a) => a.startsWith('wafv2:')));
    expect([...new Set(wafStatements.flatMap((s) => asList(s.Action)))].sort()).toEqual([
      'wafv2:AssociateWebACL',
      'wafv2:CreateWebACL',
      'wafv2:DeleteWebACL',
      'wafv2:DisassociateWebACL',
      'wafv2:GetWebACL',
      'wafv2:GetWebACLForResource',
      'wafv2:ListTagsForResource',
      'wafv2:TagResource',
      'wafv2:UntagResource',
      'wafv2:UpdateWebACL',
    ]);
    for (const statement of wafStatements) expect(asList(statement.Resource), statement.Sid).not.toContain('*');
  });

  it('name the deploy role outside the pattern of the roles the deployer manages', () => {
    const managed = deployer.filter((s) => s.Effect === 'Allow' && asList(s.Action).some((a) => a.startsWith('iam:')));
    const rolePatterns = managed.flatMap((s) => asList(s.Resource)).filter((resource) => resource.includes(':role/'));
    expect(rolePatterns.length).toBeGreaterThan(0);
    for (const pattern of rolePatterns) expect(DEPLOY_ROLE).not.toMatch(new RegExp(`^${pattern.replaceAll('*', '.*')}$`));
  });

  it('grant no wildcard IAM, STS or Organizations action, wherever it stands in an action list', () => {
    for (const statement of deployer.filter((s) => s.Effect === 'Allow')) {
      for (const action of asList(statement.Action)) {
        expect(action).not.toBe('*');
        if (/^(iam|sts|organizations):/i.test(action)) expect(action, statement.Sid).not.toMatch(/[*?]/);
      }
    }
  });

  it('never allow every action of a service on every resource', () => {
    for (const statement of deployer.filter((s) => s.Effect === 'Allow')) {
      if (!asList(statement.Resource).includes('*')) continue;
      for (const action of asList(statement.Action)) expect(action, statement.Sid).not.toMatch(/:\*$/);
    }
  });

  it('bound the roles to no IAM, STS or write access beyond logs', () => {
    for (const statement of boundary) {
      expect(statement.Effect).toBe('Allow');
      for (const action of asList(statement.Action)) {
        expect(action).not.toMatch(/[*?]/);
        expect(action).not.toMatch(/^(iam|sts|organizations|kms|lambda|ec2):/);
      }
    }
  });
});
