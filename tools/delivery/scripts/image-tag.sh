#!/bin/sh
# Prints the immutable image tag: the full git SHA of HEAD (or $IMAGE_TAG when CI sets it).
# Refuses a dirty tree: an image tagged with a SHA must contain exactly that commit.
set -eu
if [ -n "${IMAGE_TAG:-}" ]; then
  echo "$IMAGE_TAG"
  exit 0
fi
if [ -n "$(git status --porcelain --untracked-files=no)" ] && [ "${ALLOW_DIRTY:-0}" != "1" ]; then
  echo "image-tag: uncommitted changes; commit first (or ALLOW_DIRTY=1 for a local experiment)" >&2
  exit 1
fi
git rev-parse HEAD
