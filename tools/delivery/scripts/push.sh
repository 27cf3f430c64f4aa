#!/bin/sh
# nx run order-service:push: pushes the image built by :container to the ECR repository of the
# current AWS account and region, once per commit: ECR tags are immutable, so an image already
# pushed for this commit is left alone and a rebuild never replaces it. Prints the digest every
# environment then deploys.
set -eu
cd "$(git rev-parse --show-toplevel)"
tag="$(sh tools/delivery/scripts/image-tag.sh)"
repository="${ECR_REPOSITORY_NAME:-mallhive-order-service}"
region="${AWS_REGION:?set AWS_REGION}"
account="$(aws sts get-caller-identity --query Account --output text)"
registry="$account.dkr.ecr.$region.amazonaws.com"

digest_of_tag() {
  aws ecr describe-images --region "$region" --repository-name "$repository" \
    --image-ids "imageTag=$tag" --query 'imageDetails[0].imageDigest' --output text 2>/dev/null
}

if digest="$(digest_of_tag)"; then
  echo "$registry/$repository:$tag already in ECR: $registry/$repository@$digest"
  exit 0
fi
aws ecr get-login-password --region "$region" |
  docker login --username AWS --password-stdin "$registry"
docker tag "mallhive-order-service:$tag" "$registry/$repository:$tag"
docker push "$registry/$repository:$tag"
echo "pushed $registry/$repository@$(digest_of_tag) (tag $tag)"
