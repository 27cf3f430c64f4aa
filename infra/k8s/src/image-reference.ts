import type { ImageProps } from './order-service-chart-props.ts';

/** What the Deployment pulls: by digest when there is one, else by tag. */
export function imageReference(image: ImageProps): string {
  return image.digest
    ? `${image.repositoryUri}@${image.digest}`
    : `${image.repositoryUri}:${image.tag}`;
}
