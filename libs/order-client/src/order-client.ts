import createClient from 'openapi-fetch';
import type { Client, Middleware } from 'openapi-fetch';
import type { paths } from './generated/order-service.ts';

export interface OrderClientOptions {
  /** The service's origin, e.g. `https://order.internal.mallhive.com` (the paths carry `/api/v1`). */
  readonly baseUrl: string;
  /** The caller's OAuth 2.0 access token, asked for on every call (so a refreshed token is used). */
  readonly accessToken?: () => string | Promise<string>;
  /** Another fetch, e.g. one with a dispatcher or instrumentation. */
  readonly fetch?: typeof globalThis.fetch;
}

export type OrderClient = Client<paths>;

/**
 * A typed client of the order service (openapi-fetch over the generated types): paths, parameters, bodies
 * and answers are checked against the committed OpenAPI document at compile time. Each call resolves to
 * `{ data }` or `{ error }`, where `error` is the operation's problem document with its `code`; wrap a
 * call in `ok()` to get the data or a thrown `OrderServiceProblem`.
 */
export function createOrderClient(options: OrderClientOptions): OrderClient {
  const client = createClient<paths>({
    baseUrl: options.baseUrl,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  const { accessToken } = options;
  if (accessToken) client.use(bearerToken(accessToken));
  return client;
}

function bearerToken(accessToken: () => string | Promise<string>): Middleware {
  return {
    async onRequest({ request }) {
      request.headers.set('authorization', `Bearer ${await accessToken()}`);
      return request;
    },
  };
}
