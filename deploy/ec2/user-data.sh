#!/bin/bash
# User data for one EC2 instance (Amazon Linux 2023) that runs a service's server image from ECR with `docker run`:
# the single-box route, without the infra's load balancer and Auto Scaling group (see README, "Other hosts").
# Fill in the values below before launching; nothing secret goes in this file: API keys come from SSM Parameter
# Store at boot. The instance profile needs ecr:GetAuthorizationToken, ecr:BatchGetImage,
# ecr:GetDownloadUrlForLayer (AmazonEC2ContainerRegistryReadOnly), ssm:GetParameter on the keys' parameter (and
# kms:Decrypt for its key), and the S3 read of "Models from S3" if MODEL_S3_URI is set.
# Region and account come from the instance metadata (IMDSv2). The output lands in /var/log/cloud-init-output.log.
set -euo pipefail

# ---- fill in ---------------------------------------------------------------------------------------------------
# The ECR repository `push-server` pushed to: the part of SERVER_REPOSITORY_URL after the registry host.
REPOSITORY="onnx-serve-dev-SERVICE-server"
# Which image: a digest as push-server prints it (SERVER_IMAGE_DIGEST=sha256:…), or a tag (IMAGE_TAG).
IMAGE_REF="sha256:SERVER_IMAGE_DIGEST"
# An SSM SecureString holding API_KEYS (comma-separated keys or sha256:<hex>); empty: the API is open.
API_KEYS_PARAMETER=""
# s3://bucket/prefix/ to serve models from S3; empty: the image's own models.
MODEL_S3_URI=""
# The instance's port for the API (the container listens on 8080, the image's PORT).
HOST_PORT=80
# ---------------------------------------------------------------------------------------------------------------

readonly CONTAINER_PORT=8080
# Longer than the server's SHUTDOWN_TIMEOUT_MS (10 s): docker stop waits this long before SIGKILL, so a drain finishes.
readonly STOP_TIMEOUT_SECONDS=15
readonly CONTAINER_NAME=prediction-api

fail() { echo "user-data: $*" >&2; exit 1; }
[[ "$REPOSITORY" != *SERVICE* ]] || fail "REPOSITORY is still the placeholder $REPOSITORY: set it to the service's ECR repository"
[[ "$IMAGE_REF" != *SERVER_IMAGE_DIGEST* ]] || fail "IMAGE_REF is still the placeholder: set a digest (sha256:…) or a tag"

# IMDSv2: a session token first, then every metadata read carries it.
imds_token="$(curl -fsS -X PUT -H 'X-aws-ec2-metadata-token-ttl-seconds: 300' http://169.254.169.254/latest/api/token)"
imds() { curl -fsS -H "X-aws-ec2-metadata-token: ${imds_token}" "http://169.254.169.254/latest/$1"; }
region="$(imds meta-data/placement/region)"
account="$(imds dynamic/instance-identity/document | sed -n 's/.*"accountId" *: *"\([0-9]*\)".*/\1/p')"
[[ "$account" =~ ^[0-9]{12}$ ]] || fail "no account id in the instance identity document"
registry="${account}.dkr.ecr.${region}.amazonaws.com"
if [[ "$IMAGE_REF" == sha256:* ]]; then image="${registry}/${REPOSITORY}@${IMAGE_REF}"; else image="${registry}/${REPOSITORY}:${IMAGE_REF}"; fi

dnf install -y docker
systemctl enable --now docker
aws ecr get-login-password --region "$region" | docker login --username AWS --password-stdin "$registry"
docker pull "$image"

run_env=(--env "PORT=${CONTAINER_PORT}" --env "AWS_REGION=${region}")
if [[ -n "$API_KEYS_PARAMETER" ]]; then
  # Passed by name (--env API_KEYS), so the keys never appear on a command line.
  API_KEYS="$(aws ssm get-parameter --region "$region" --name "$API_KEYS_PARAMETER" --with-decryption --query Parameter.Value --output text)"
  export API_KEYS
  run_env+=(--env API_KEYS)
fi
if [[ -n "$MODEL_S3_URI" ]]; then run_env+=(--env "MODEL_S3_URI=${MODEL_S3_URI}"); fi

# A rerun (user data run again by hand) replaces the container rather than failing on its name.
docker rm --force "$CONTAINER_NAME" >/dev/null 2>&1 || true
docker run --detach --name "$CONTAINER_NAME" --restart unless-stopped \
  --publish "${HOST_PORT}:${CONTAINER_PORT}" --stop-timeout "$STOP_TIMEOUT_SECONDS" \
  "${run_env[@]}" "$image"
echo "user-data: ${image} runs as ${CONTAINER_NAME} on port ${HOST_PORT}; GET /ready says when its models are loaded"
