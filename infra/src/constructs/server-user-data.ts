// First-boot script for a server instance: install Docker, log in to ECR, read the API key hashes from SSM
// and run the image (pinned by digest) with a restart policy. `set -e` so a box that cannot start the app
// fails its load balancer health check and the Auto Scaling group replaces it. WEB_CONCURRENCY is left out:
// the server runs one worker per CPU it sees, so the service's instance type sets the worker count.
import { imageUri, modelUri, registryHost, type ImageRef, type ModelLocation } from '../aws/arns';

export interface ServerUserDataProps {
  readonly image: ImageRef;
  readonly models: ModelLocation;
  readonly appPort: number;
  readonly apiKeysParameter: string;
  readonly logGroupName: string;
  readonly logLevel: string;
  /** The container's gRPC port (GRPC_PORT), published only when the load balancer routes gRPC to it. */
  readonly grpcPort: number | null;
}

export const CONTAINER_NAME = 'prediction-api';

/** How long the server lets calls in flight finish on SIGTERM (SHUTDOWN_TIMEOUT_MS). */
export const DRAIN_MS = 10_000;
/** How long `docker stop` waits before SIGKILL: the drain, and time for the workers to exit after it. */
export const STOP_TIMEOUT_SECONDS = DRAIN_MS / 1000 + 15;

export function serverUserData(props: ServerUserDataProps): string {
  const { region } = props.image;
  const grpc = props.grpcPort === null ? '' : `\n  --publish ${props.grpcPort}:${props.grpcPort} --env GRPC_PORT=${props.grpcPort} \\`;
  return `#!/bin/bash
set -euo pipefail
dnf install -y docker
systemctl enable --now docker
aws ecr get-login-password --region ${region} | docker login --username AWS --password-stdin ${registryHost(props.image)}
# Comma-separated keys or sha256:<hex> hashes, kept in a SecureString so they stay out of state and user data.
API_KEYS="$(aws ssm get-parameter --region ${region} --name '${props.apiKeysParameter}' --with-decryption --query Parameter.Value --output text)"
export API_KEYS
docker run --detach --name ${CONTAINER_NAME} --restart unless-stopped --stop-timeout ${STOP_TIMEOUT_SECONDS} \\
  --publish ${props.appPort}:${props.appPort} \\${grpc}
  --env PORT=${props.appPort} --env SHUTDOWN_TIMEOUT_MS=${DRAIN_MS} --env AWS_REGION=${region} --env API_KEYS \\
  --env MODEL_S3_URI='${modelUri(props.models)}' --env LOG_LEVEL=${props.logLevel} \\
  --log-driver awslogs --log-opt awslogs-region=${region} --log-opt awslogs-group='${props.logGroupName}' \\
  '${imageUri(props.image)}'
`;
}
