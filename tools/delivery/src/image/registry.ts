import {
  DescribeImageScanFindingsCommand,
  DescribeImagesCommand,
  ECRClient,
  type ImageIdentifier,
} from '@aws-sdk/client-ecr';
import type { ImageRef } from './image-ref.ts';
import type { ScanFindingsAnswer } from './scan-verdict.ts';

/** The order service repository in the ECR registry of the current account and region. */
export class Registry {
  private readonly client: ECRClient;
  private readonly region: string;
  readonly repositoryName: string;

  constructor(region: string, repositoryName = 'mallhive-order-service') {
    this.client = new ECRClient({ region });
    this.region = region;
    this.repositoryName = repositoryName;
  }

  /** The image with this tag or digest, with its repository URI; undefined if it is not there. */
  async find(id: ImageIdentifier): Promise<ImageRef | undefined> {
    try {
      const answer = await this.client.send(
        new DescribeImagesCommand({ repositoryName: this.repositoryName, imageIds: [id] }),
      );
      const image = answer.imageDetails?.[0];
      if (!image?.imageDigest || !image.registryId) return undefined;
      return {
        repository: `${image.registryId}.dkr.ecr.${this.region}.amazonaws.com/${this.repositoryName}`,
        tag: id.imageTag ?? image.imageTags?.find((t) => /^[0-9a-f]{40}$/.test(t)) ?? '',
        digest: image.imageDigest,
      };
    } catch (error) {
      if ((error as Error).name === 'ImageNotFoundException') return undefined;
      throw error;
    }
  }

  /** ECR's scan answer for the image; undefined while no scan exists. */
  async scanFindings(digest: string): Promise<ScanFindingsAnswer | undefined> {
    try {
      return await this.client.send(
        new DescribeImageScanFindingsCommand({
          repositoryName: this.repositoryName,
          imageId: { imageDigest: digest },
        }),
      );
    } catch (error) {
      if ((error as Error).name === 'ScanNotFoundException') return undefined;
      throw error;
    }
  }
}
