/** One pushed image: the commit it was built from and the digest of its manifest. */
export interface ImageRef {
  /** Registry and repository, e.g. `111111111111.dkr.ecr.eu-central-1.amazonaws.com/mallhive-order-service`. */
  readonly repository: string;
  /** The git SHA it was built from (its immutable tag). */
  readonly tag: string;
  /** `sha256:<64 hex>`: what every environment pulls. */
  readonly digest: string;
}

/** The image's version without its registry: enough to deploy it anywhere it was replicated. */
export type ImageVersion = Pick<ImageRef, 'tag' | 'digest'>;

const sha256Digest = /^sha256:[a-f0-9]{64}$/;
const gitSha = /^[0-9a-f]{40}$/;

/** What a Deployment or `cosign verify` is given: the repository pinned to the digest. */
export function pinnedReference(image: Pick<ImageRef, 'repository' | 'digest'>): string {
  return `${image.repository}@${image.digest}`;
}

export function assertDigest(value: string, name = 'digest'): string {
  if (!sha256Digest.test(value)) {
    throw new Error(`${name} "${value}" is not an image digest (sha256:<64 hex digits>)`);
  }
  return value;
}

export function assertTag(value: string, name = 'tag'): string {
  if (!gitSha.test(value)) throw new Error(`${name} "${value}" is not a full git SHA`);
  return value;
}

/** Parses `<git sha>@sha256:<digest>`, the form a rollback by hand names an image in. */
export function parseImageVersion(value: string): ImageVersion {
  const [tag = '', digest = '', ...rest] = value.split('@');
  if (rest.length > 0 || !digest) {
    throw new Error(`image "${value}" must look like <git sha>@sha256:<64 hex digits>`);
  }
  return { tag: assertTag(tag, 'image tag'), digest: assertDigest(digest, 'image digest') };
}

export function formatImageVersion(image: ImageVersion): string {
  return `${image.tag}@${image.digest}`;
}

export function sameImage(a: ImageVersion | undefined, b: ImageVersion | undefined): boolean {
  return a !== undefined && b !== undefined && a.digest === b.digest;
}
