import { describe, expect, it } from 'vitest';
import { dev } from './dev.ts';
import {
  deliveryConfigFor,
  deliveryConfigs,
  validateDeliveryConfig,
  type DeliveryConfig,
} from './delivery.ts';
import { prod } from './prod.ts';

describe('delivery configuration', () => {
  it('builds in dev and promotes to prod by replication; only prod deploys need a preview', () => {
    expect(deliveryConfigFor('dev')).toMatchObject({
      buildsImages: true,
      replicateImagesTo: [{ account: prod.account, region: prod.region }],
    });
    expect(deliveryConfigFor('prod')).toMatchObject({
      buildsImages: false,
      acceptImagesFrom: [dev.account],
      previewEnvironment: 'prod-preview',
    });
  });

  it.each<[string, Partial<DeliveryConfig>, RegExp]>([
    [
      'a repository without owner',
      { githubRepository: 'order-platform' },
      /githubRepository: must be a GitHub repository/,
    ],
    [
      'a preview that waits for the approval',
      { previewEnvironment: 'dev' },
      /previewEnvironment: must differ/,
    ],
    [
      'replication from an account that builds nothing',
      { buildsImages: false },
      /replicateImagesTo: only the account that builds/,
    ],
    [
      'an account id that is not one',
      { acceptImagesFrom: ['12345'] },
      /acceptImagesFrom\.0: must be a 12-digit/,
    ],
  ])('rejects %s and names the field', (_, change, message) => {
    const changed = { ...deliveryConfigs.dev, ...change };
    expect(() => validateDeliveryConfig('dev', changed)).toThrow(message);
  });
});
