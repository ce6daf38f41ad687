// IAM documents as plain typed values rendered to JSON at synth, so tests read exactly what AWS will get.
import { modelObjectsArn, bucketArn, type ModelLocation } from './arns';

export interface PolicyStatement {
  readonly Sid?: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Principal?: '*' | Readonly<Record<string, string | readonly string[]>>;
  readonly Action: string | readonly string[];
  readonly Resource?: string | readonly string[];
  readonly Condition?: Readonly<Record<string, Readonly<Record<string, string | readonly string[]>>>>;
}

export const policyDocument = (statements: readonly PolicyStatement[]): string =>
  JSON.stringify({ Version: '2012-10-17', Statement: statements });

export const assumeRolePolicy = (service: string): string =>
  policyDocument([{ Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole' }]);

/** Read the model files and list only under their prefix (the model store discovers models by listing). */
export const modelReadStatements = (location: ModelLocation): PolicyStatement[] => [
  { Sid: 'ReadModels', Effect: 'Allow', Action: 's3:GetObject', Resource: modelObjectsArn(location) },
  {
    Sid: 'ListModels',
    Effect: 'Allow',
    Action: 's3:ListBucket',
    Resource: bucketArn(location.bucketName),
    Condition: { StringLike: { 's3:prefix': [`${location.prefix}*`] } },
  },
];

/** Write to one log group's streams; the group itself is created by terraform with its retention. */
export const logWriteStatement = (logGroupArn: string): PolicyStatement => ({
  Sid: 'WriteLogs',
  Effect: 'Allow',
  Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
  Resource: `${logGroupArn}:*`,
});
