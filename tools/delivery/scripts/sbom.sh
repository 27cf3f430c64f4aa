#!/bin/sh
# CycloneDX SBOM of the order service image, made from the lockfile alone: the production
# dependencies of apps/order-service, which is what the Dockerfile's prod-deps stage installs
# (npm ci --omit=dev --workspace apps/order-service). The deploy workflow attaches it to the run
# and to the image (a signed attestation).
# @cyclonedx/cyclonedx-npm, not `npm sbom`: npm 11's sbom leaves out workspace dependencies that
# other workspaces share (ajv, ajv-formats, pg here); src/image/sbom.test.ts checks every one is in.
set -eu
cd "$(git rev-parse --show-toplevel)"
out="${1:?usage: sh tools/delivery/scripts/sbom.sh <output file>}"
npx cyclonedx-npm --package-lock-only --omit dev --workspace apps/order-service \
  --flatten-components --mc-type application --output-reproducible --validate \
  --output-format JSON --output-file "$out"
echo "sbom: wrote $out" >&2
