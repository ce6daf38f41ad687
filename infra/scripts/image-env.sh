#!/usr/bin/env bash
# Prints, as NAME=value lines, where an environment's images live and (with --digests) which ones to run:
#   REGISTRY, LAMBDA_REPOSITORY_URL, SERVER_REPOSITORY_URL        from infra/config/<env>.json alone
#   LAMBDA_IMAGE_DIGEST, SERVER_IMAGE_DIGEST                      the newest tagged image of each repository
# Use: export $(infra/scripts/image-env.sh dev --digests)   or in CI: ... >> "$GITHUB_ENV"
# Needs node; --digests also needs the AWS CLI and credentials. Fails when a repository holds no image.
set -euo pipefail

environment="${1:-${INFRA_ENV:-dev}}"
config="$(cd "$(dirname "$0")/../config" && pwd)/${environment}.json"
[[ -f "$config" ]] || { echo "image-env: no config file $config" >&2; exit 1; }
read_config() { node -p "require(process.argv[1]).$1" "$config"; }

region="$(read_config region)"
registry="$(read_config accountId).dkr.ecr.${region}.amazonaws.com"
lambda_repository="$(read_config registry.repositories.lambda)"
server_repository="$(read_config registry.repositories.server)"

echo "REGISTRY=${registry}"
echo "LAMBDA_REPOSITORY_URL=${registry}/${lambda_repository}"
echo "SERVER_REPOSITORY_URL=${registry}/${server_repository}"
[[ "${2:-}" == "--digests" ]] || exit 0

newest_digest() {
  local digest
  digest="$(aws ecr describe-images --region "$region" --repository-name "$1" --filter tagStatus=TAGGED \
    --query 'sort_by(imageDetails,&imagePushedAt)[-1].imageDigest' --output text)"
  if [[ ! "$digest" =~ ^sha256:[0-9a-f]{64}$ ]]; then
    echo "image-env: no tagged image in ECR repository $1 ($region); push the images first" >&2
    return 1
  fi
  echo "$digest"
}
# Assigned first so that a failure stops the script (set -e ignores failures inside echo's arguments).
lambda_digest="$(newest_digest "$lambda_repository")"
server_digest="$(newest_digest "$server_repository")"
echo "LAMBDA_IMAGE_DIGEST=${lambda_digest}"
echo "SERVER_IMAGE_DIGEST=${server_digest}"
