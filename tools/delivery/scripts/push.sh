#!/bin/sh
# nx run order-service:push: pushes the image built by :container to the ECR repository of the
# current AWS account and region. ECR tags are immutable, so an existing tag is left alone.
set -eu
cd "$(git rev-parse --show-toplevel)"
tag="$(sh tools/delivery/scripts/image-tag.sh)"
repository="${ECR_REPOSITORY_NAME:-mallhive-order-service}"
region="${AWS_REGION:?set AWS_REGION}"
account="$(aws sts get-caller-identity --query Account --output text)"
registry="$account.dkr.ecr.$region.amazonaws.com"

if aws ecr describe-images --region "$region" --repository-name "$repository" \
  --image-ids "imageTag=$tag" >/dev/null 2>&1; then
  echo "$registry/$repository:$tag already in ECR"
  exit 0
fi
aws ecr get-login-password --region "$region" |
  docker login --username AWS --password-stdin "$registry"
docker tag "mallhive-order-service:$tag" "$registry/$repository:$tag"
docker push "$registry/$repository:$tag"
