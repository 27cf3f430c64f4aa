import { z } from 'zod';
import { configPart } from './part.ts';

/**
 * How the HTTP server treats slow clients, and whether it serves its API documentation. The defaults are
 * chosen against the internal ALB in front of the service, whose idle timeout is 60 seconds (the AWS
 * default; infra/k8s does not change it) — docs/security.md explains each value.
 */
export interface HttpSettings {
  /** Time a client has to send the complete request headers. */
  readonly headersTimeoutMs: number;
  /** Time a client has to send the complete request, headers and body. Below the ALB's idle timeout. */
  readonly requestTimeoutMs: number;
  /**
   * How long an idle keep-alive connection stays open. Above the ALB's idle timeout, so the ALB, not the
   * service, closes its idle connections (otherwise it may reuse one the service just closed: a 502).
   */
  readonly keepAliveTimeoutMs: number;
  /** Serve Swagger UI at /docs and the OpenAPI document at /openapi.json. */
  readonly apiDocs: boolean;
}

const milliseconds = (max: number) => z.coerce.number().int().min(100).max(max);

/** The HTTP server's timeouts and whether it serves its API documentation. */
export const http = configPart({
  variables: {
    HTTP_HEADERS_TIMEOUT_MS: milliseconds(600_000).default(10_000),
    HTTP_REQUEST_TIMEOUT_MS: milliseconds(600_000).default(30_000),
    HTTP_KEEP_ALIVE_TIMEOUT_MS: milliseconds(3_600_000).default(65_000),
    API_DOCS_ENABLED: z.enum(['true', 'false']).optional(),
  },
  build(env, problems, { production }): { http: HttpSettings } {
    if (env.HTTP_HEADERS_TIMEOUT_MS > env.HTTP_REQUEST_TIMEOUT_MS) {
      problems.add('HTTP_HEADERS_TIMEOUT_MS', 'must not be longer than HTTP_REQUEST_TIMEOUT_MS');
    }
    return {
      http: {
        headersTimeoutMs: env.HTTP_HEADERS_TIMEOUT_MS,
        requestTimeoutMs: env.HTTP_REQUEST_TIMEOUT_MS,
        keepAliveTimeoutMs: env.HTTP_KEEP_ALIVE_TIMEOUT_MS,
        // The API's map is for developers; in production only when asked for.
        apiDocs: env.API_DOCS_ENABLED === undefined ? !production : env.API_DOCS_ENABLED === 'true',
      },
    };
  },
});
