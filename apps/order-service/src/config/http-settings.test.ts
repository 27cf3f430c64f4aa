import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';
import { production } from '../testing/config-fixtures.ts';

describe('HTTP settings', () => {
  it('cut off slow clients by default: headers within 10 s, the whole request within 30 s', () => {
    expect(loadConfig({}).http).toMatchObject({
      headersTimeoutMs: 10_000,
      requestTimeoutMs: 30_000,
      keepAliveTimeoutMs: 65_000,
    });
  });

  it('refuse a headers timeout longer than the request timeout (Node would throw at listen)', () => {
    expect(() =>
      loadConfig({ HTTP_HEADERS_TIMEOUT_MS: '20000', HTTP_REQUEST_TIMEOUT_MS: '10000' }),
    ).toThrow(
      new ConfigError(['HTTP_HEADERS_TIMEOUT_MS: must not be longer than HTTP_REQUEST_TIMEOUT_MS']),
    );
    expect(() => loadConfig({ HTTP_REQUEST_TIMEOUT_MS: '0' })).toThrow(/HTTP_REQUEST_TIMEOUT_MS: /);
  });

  it('serve the API docs outside production, and in production only when API_DOCS_ENABLED=true', () => {
    expect(loadConfig({}).http.apiDocs).toBe(true);
    expect(loadConfig({ API_DOCS_ENABLED: 'false' }).http.apiDocs).toBe(false);
    expect(loadConfig(production).http.apiDocs).toBe(false);
    expect(loadConfig({ ...production, API_DOCS_ENABLED: 'true' }).http.apiDocs).toBe(true);
  });
});
