#!/bin/sh
# nx run order-service:deploy (after :container and :push): one `cdk deploy` ships the
# infrastructure and the order service chart with the new image tag.
# DEPLOY_ENV selects the infra/aws config (dev by default).
set -eu
cd "$(git rev-parse --show-toplevel)"
tag="$(sh tools/delivery/scripts/image-tag.sh)"
environment="${DEPLOY_ENV:-dev}"
cd infra/aws
CDK_DISABLE_VERSION_CHECK=1 npx cdk deploy --all \
  --require-approval "${CDK_REQUIRE_APPROVAL:-never}" \
  -c "env=$environment" \
  -c "imageTag=$tag"
