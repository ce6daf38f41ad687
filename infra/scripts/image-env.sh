#!/usr/bin/env bash
# Prints, as NAME=value lines, where one service's images live in an environment and which ones to run:
#   REGISTRY, LAMBDA_REPOSITORY_URL, SERVER_REPOSITORY_URL   (the latter two for the service's targets only)
#   TARGET_ARCH                                               the image build's architecture, from the config
#   with --tag <tag>:  LAMBDA_IMAGE_DIGEST, SERVER_IMAGE_DIGEST of the images pushed with that tag
#   with --deployed:   LAMBDA_IMAGE_DIGEST, SERVER_IMAGE_DIGEST of the images deployed now
# Use: export $(infra/scripts/image-env.sh dev examples --tag "$IMAGE_TAG")   or in CI: ... >> "$GITHUB_ENV"
# There is no "newest image" option: deploying the newest image in ECR would undo a rollback.
# The account id comes from INFRA_ACCOUNT_ID or infra/config/<env>.local.json, like every account value.
# Needs node; --tag and --deployed also need the AWS CLI and credentials.
set -euo pipefail

[[ $# -ge 2 ]] || { echo "image-env: usage: infra/scripts/image-env.sh <env> <service> [--tag <tag> | --deployed]" >&2; exit 1; }
environment="$1"
shift
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
INFRA_ENV="$environment" exec node_modules/.bin/tsx infra/scripts/service-infra.ts image-env "$@"
