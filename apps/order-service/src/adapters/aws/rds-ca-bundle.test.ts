import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/config.ts';

/** The CA bundle the service verifies RDS against: where config looks for it, and that it is usable. */
describe('the shipped RDS CA bundle', () => {
  const config = loadConfig({ NODE_ENV: 'test', DB_SECRET_ID: 'order-service/db' });
  const caFile = config.database.kind === 'secret' ? config.database.caFile : '';
  const certificates = readFileSync(caFile, 'utf8')
    .split(/(?<=-----END CERTIFICATE-----)\s*/)
    .filter((pem) => pem.includes('BEGIN CERTIFICATE'))
    .map((pem) => new X509Certificate(pem));

  it('sits where the default DATABASE_CA_FILE points', () => {
    expect(caFile).toMatch(/apps\/order-service\/certs\/rds-global-bundle\.pem$/);
  });

  it.each(['eu-west-1', 'eu-central-1', 'us-east-1'])(
    'holds a current Amazon RDS root CA for %s',
    (region) => {
      const current = certificates.filter(
        (certificate) =>
          certificate.subject.includes(`Amazon RDS ${region} Root CA`) &&
          certificate.ca &&
          new Date(certificate.validTo) > new Date(),
      );
      expect(current.length).toBeGreaterThan(0);
    },
  );
});
