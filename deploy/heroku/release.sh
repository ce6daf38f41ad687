#!/usr/bin/env bash
# Releases a service's server image as a Heroku app's web process, through Heroku's Container Registry.
# Heroku's other Docker route, heroku.yml, builds on Heroku from the pushed git tree with the Dockerfile's folder
# as context; the server image's context is the staged folder (dist/services/<service>/server), which git ignores.
# So the image is built here, exactly as for ECR, and pushed: `TARGET_ARCH=x64 npx nx run <service>:image-server` first
# (Heroku runs linux/amd64 only, and takes one Docker v2 manifest, not an OCI index: image-server builds without
# provenance attestations, so it makes one). The image already listens on Heroku's $PORT.
# Usage: deploy/heroku/release.sh <service> <heroku-app>   (after `heroku container:login`)
set -euo pipefail

usage="usage: deploy/heroku/release.sh <service> <heroku-app>"
[[ $# -eq 2 ]] || { echo "heroku release: $usage" >&2; exit 1; }
service="$1"
app="$2"
local_image="onnx-serve-${service}-server:local"

platform="$(docker image inspect --format '{{.Os}}/{{.Architecture}}' "$local_image" 2>/dev/null)" || {
  echo "heroku release: no image ${local_image} here: build it first with TARGET_ARCH=x64 npx nx run ${service}:image-server" >&2
  exit 1
}
if [[ "$platform" != "linux/amd64" ]]; then
  echo "heroku release: ${local_image} is ${platform}; Heroku runs linux/amd64 only: rebuild with TARGET_ARCH=x64 npx nx run ${service}:image-server (it restages for x64)" >&2
  exit 1
fi

remote="registry.heroku.com/${app}/web"
docker tag "$local_image" "$remote"
docker push "$remote"
heroku container:release web --app "$app"
