#!/usr/bin/env bash
# Prints, as NAME=value lines, where one service's images live in an environment and (with --digests) which
# ones to run:
#   REGISTRY, LAMBDA_REPOSITORY_URL, SERVER_REPOSITORY_URL   (the latter two for the service's targets only)
#   TARGET_ARCH                                               the image build's architecture, from the config
#   LAMBDA_IMAGE_DIGEST, SERVER_IMAGE_DIGEST                   the newest tagged image of each repository
# Use: export $(infra/scripts/image-env.sh dev examples --digests)   or in CI: ... >> "$GITHUB_ENV"
# The account id comes from INFRA_ACCOUNT_ID or infra/config/<env>.local.json, like every account value.
# Needs node; --digests also needs the AWS CLI and credentials. Fails when a repository holds no image.
set -euo pipefail

usage="usage: infra/scripts/image-env.sh <env> <service> [--digests]"
[[ $# -ge 2 ]] || { echo "image-env: $usage" >&2; exit 1; }
environment="$1"
service="$2"
[[ -z "${3:-}" || "${3:-}" == "--digests" ]] || { echo "image-env: unknown option $3; $usage" >&2; exit 1; }
root="$(cd "$(dirname "$0")/../.." && pwd)"

# Assigned first so that a failure stops the script (set -e ignores failures inside echo's arguments).
locations="$(cd "$root" && INFRA_ENV="$environment" node_modules/.bin/tsx infra/scripts/service-infra.ts image-env "$service")"
echo "$locations"
[[ "${3:-}" == "--digests" ]] || exit 0

region="$(cd "$root" && node -p "require('./infra/config/${environment}.json').region")"
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
while IFS='=' read -r name url; do
  [[ "$name" == *_REPOSITORY_URL ]] || continue
  digest="$(newest_digest "${url#*/}")"
  echo "${name%_REPOSITORY_URL}_IMAGE_DIGEST=${digest}"
done <<<"$locations"
