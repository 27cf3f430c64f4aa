#!/bin/sh
# nx run order-service:container: builds the order service image, tagged with the git SHA.
set -eu
cd "$(git rev-parse --show-toplevel)"
tag="$(sh tools/delivery/scripts/image-tag.sh)"
# The build context is the repository root (npm workspaces); .dockerignore keeps it small.
docker build \
  --file apps/order-service/Dockerfile \
  --platform "${IMAGE_PLATFORM:-linux/amd64}" \
  --label "org.opencontainers.image.revision=$tag" \
  --tag "mallhive-order-service:$tag" \
  .
echo "built mallhive-order-service:$tag"
