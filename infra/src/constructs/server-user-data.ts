// First-boot script for a server instance: install Docker, log in to ECR, read the API key hashes from SSM
// and run the image (pinned by digest) with a restart policy. `set -e` so a box that cannot start the app
// fails its load balancer health check and the Auto Scaling group replaces it.
import { imageUri, modelUri, registryHost, type ImageRef, type ModelLocation } from '../aws/arns';

export interface ServerUserDataProps {
  readonly image: ImageRef;
  readonly models: ModelLocation;
  readonly appPort: number;
  readonly apiKeysParameter: string;
  readonly logGroupName: string;
  readonly logLevel: string;
}

export const CONTAINER_NAME = 'prediction-api';

export function serverUserData(props: ServerUserDataProps): string {
  const { region } = props.image;
  return `#!/bin/bash
set -euo pipefail
dnf install -y docker
systemctl enable --now docker
aws ecr get-login-password --region ${region} | docker login --username AWS --password-stdin ${registryHost(props.image)}
# Comma-separated keys or sha256:<hex> hashes, kept in a SecureString so they stay out of state and user data.
API_KEYS="$(aws ssm get-parameter --region ${region} --name '${props.apiKeysParameter}' --with-decryption --query Parameter.Value --output text)"
export API_KEYS
docker run --detach --name ${CONTAINER_NAME} --restart unless-stopped \\
  --publish ${props.appPort}:${props.appPort} \\
  --env PORT=${props.appPort} --env AWS_REGION=${region} --env API_KEYS \\
  --env MODEL_S3_URI='${modelUri(props.models)}' --env LOG_LEVEL=${props.logLevel} \\
  --log-driver awslogs --log-opt awslogs-region=${region} --log-opt awslogs-group='${props.logGroupName}' \\
  '${imageUri(props.image)}'
`;
}
