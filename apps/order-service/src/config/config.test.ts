import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.ts';
import { problemsOf, production, REQUIRED_IN_PRODUCTION } from '../testing/config-fixtures.ts';

describe('configuration', () => {
  it('with no environment at all, runs on embedded PostgreSQL, simulated peers and logged events on port 4200', () => {
    const config = loadConfig({});
    expect(config.port).toBe(4200);
    expect(config.database.kind).toBe('embedded');
    expect(config.peers.kind).toBe('simulated');
    expect(config.events.bus).toBe('log');
  });

  it('uses DATABASE_URL when it is set, still with simulated peers outside production', () => {
    const config = loadConfig({ DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/test' });
    expect(config.database).toMatchObject({
      kind: 'url',
      url: 'postgres://postgres@127.0.0.1:5432/test',
    });
    expect(config.peers.kind).toBe('simulated');
  });

  it('treats an empty variable as unset: DATABASE_URL= means the embedded database, as no DATABASE_URL does', () => {
    const config = loadConfig({ DATABASE_URL: '', EVENT_BUS: '', AUTH_ISSUER: '', PORT: '' });
    expect(config.database.kind).toBe('embedded');
    expect(config.events.bus).toBe('log');
    expect(config.port).toBe(4200);
  });

  it('in production, names every missing setting instead of falling back to local parts', () => {
    const problems = problemsOf({ NODE_ENV: 'production' });
    for (const variable of REQUIRED_IN_PRODUCTION) {
      expect(problems.join('\n')).toContain(`${variable}:`);
    }
  });

  it('names the variable and what is wrong with its value', () => {
    expect(problemsOf({ PORT: 'eighty' }).join()).toMatch(/^PORT: /);
    expect(problemsOf({ DATABASE_URL: 'mysql://x' }).join()).toContain(
      'DATABASE_URL: must be a postgres:// URL',
    );
    expect(problemsOf({ PAYMENT_TIMEOUT: 'soon' }).join()).toContain(
      'PAYMENT_TIMEOUT: must be a duration',
    );
    expect(problemsOf({ EVENT_BUS: 'kafka' }).join()).toContain(
      'KAFKA_BROKERS: is required when EVENT_BUS=kafka',
    );
  });

  it('reports the problems of every part at once, a bad value beside a missing setting', () => {
    const problems = problemsOf({
      PORT: 'eighty',
      EVENT_BUS: 'kafka',
      DB_SECRET_ID: 'x',
      DATABASE_URL: 'postgres://db/x',
    });
    expect(problems.some((problem) => problem.startsWith('PORT: '))).toBe(true);
    expect(problems).toContain('KAFKA_BROKERS: is required when EVENT_BUS=kafka');
    expect(problems).toContain('DATABASE_URL: set either DATABASE_URL or DB_SECRET_ID, not both');
  });

  it('refuses half-configured peers rather than silently simulating the rest', () => {
    const problems = problemsOf({ PRODUCT_SERVICE_URL: 'http://product:4100' });
    expect(problems).toContain('PAYMENT_SERVICE_URL: is required once any peer URL is set');
  });

  it('runs the embedded development issuer when no AUTH_ISSUER is set outside production', () => {
    expect(loadConfig({}).identity).toMatchObject({
      kind: 'development',
      audience: 'order-service',
      allowedClientIds: ['dev-warehouse', 'dev-support'],
    });
  });

  it('refuses the development issuer in production, and an issuer without audience or client ids', () => {
    const problems = problemsOf({
      NODE_ENV: 'production',
      AUTH_ISSUER: 'https://development-issuer.order-service.invalid',
    }).join('\n');
    expect(problems).toContain('AUTH_ISSUER: the development issuer is not accepted in production');
    expect(problems).toContain('AUTH_AUDIENCE: set AUTH_AUDIENCE or AUTH_ALLOWED_CLIENT_IDS');
    expect(problemsOf({ AUTH_JWKS_URL: 'https://idp.example/jwks' }).join()).toContain(
      'AUTH_JWKS_URL: set AUTH_ISSUER too',
    );
    expect(problemsOf({ METRICS_PORT: '4200' }).join()).toContain('METRICS_PORT: must differ');
  });

  it('accepts a complete production configuration with secrets from AWS Secrets Manager', () => {
    const config = loadConfig({
      ...production,
      EVENT_BUS: 'eventbridge',
      AWS_REGION: 'eu-west-1',
      PAYMENT_TIMEOUT: '15m',
      AUTH_ALLOWED_CLIENT_IDS: 'warehouse-id, support-id',
    });
    expect(config.host).toBe('0.0.0.0');
    expect(config.identity).toEqual({
      kind: 'issuer',
      issuer: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Example',
      jwksUrl: undefined,
      audience: undefined,
      allowedClientIds: ['warehouse-id', 'support-id'],
      tokenUrl: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Example/oauth2/token',
    });
    expect(config.database).toMatchObject({ kind: 'secret', secretId: 'order-service/db' });
    expect(config.paymentCallbackSecret).toEqual({ secretId: 'order-service/payment-callback' });
    expect(config.reconciliation.paymentTimeoutMs).toBe(900_000);
  });
});
