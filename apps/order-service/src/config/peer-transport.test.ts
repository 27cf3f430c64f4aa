import { describe, expect, it } from 'vitest';
import { plaintextBearerProblem } from './peer-transport.ts';

describe('where a bearer key may travel in clear', () => {
  it.each([
    'https://analytics.mallhive.com',
    'http://analytics-service.analytics-service.svc.cluster.local:4800',
    'http://analytics-service.analytics-service.svc:4800',
  ])('allows %s', (url) => {
    expect(plaintextBearerProblem(url)).toBeUndefined();
  });

  it.each([
    'http://analytics.mallhive.com',
    'http://10.0.3.7:4800',
    'http://analytics.analytics:4800',
    'http://svc.cluster.local.example.com',
  ])('refuses plain HTTP to %s', (url) => {
    expect(plaintextBearerProblem(url)).toMatch(/^must be an https:\/\/ URL in production/);
  });
});
