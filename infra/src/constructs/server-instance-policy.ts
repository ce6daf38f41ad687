// What a server instance may do, and nothing more: pull its one image, read the models, write its log
// group, read the API-keys parameter, and talk to Session Manager (the only way in: no SSH).
import { repositoryArn, ssmParameterArn, type ImageRef, type ModelLocation } from '../aws/arns';
import { logWriteStatement, modelReadStatements, policyDocument } from '../aws/iam-policy';

export interface ServerInstancePolicyProps {
  readonly image: ImageRef;
  readonly models: ModelLocation;
  readonly apiKeysParameter: string;
}

export function serverInstancePolicy(props: ServerInstancePolicyProps, logGroupArn: string): string {
  const { image } = props;
  return policyDocument([
    // GetAuthorizationToken and the ssmmessages actions take no resource ARN: AWS requires "*" for them.
    { Sid: 'EcrLogin', Effect: 'Allow', Action: 'ecr:GetAuthorizationToken', Resource: '*' },
    {
      Sid: 'PullImage',
      Effect: 'Allow',
      Action: ['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'],
      Resource: repositoryArn(image),
    },
    ...modelReadStatements(props.models),
    logWriteStatement(logGroupArn),
    { Sid: 'ReadApiKeys', Effect: 'Allow', Action: 'ssm:GetParameter', Resource: ssmParameterArn(image, props.apiKeysParameter) },
    {
      Sid: 'SessionManagerRegister',
      Effect: 'Allow',
      Action: 'ssm:UpdateInstanceInformation',
      Resource: `arn:aws:ec2:${image.region}:${image.accountId}:instance/*`,
    },
    {
      Sid: 'SessionManagerChannels',
      Effect: 'Allow',
      Action: [
        'ssmmessages:CreateControlChannel',
        'ssmmessages:CreateDataChannel',
        'ssmmessages:OpenControlChannel',
        'ssmmessages:OpenDataChannel',
      ],
      Resource: '*',
    },
  ]);
}
