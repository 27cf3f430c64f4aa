/**
 * The OAuth scopes of the order API, Cognito-style `<resource server>/<name>`. The identity provider grants
 * them (infra/aws creates the resource server `orders` with these four), the service's access policy
 * reads them, the OpenAPI document lists them.
 */
export const RESOURCE_SERVER = 'orders';

export const Scope = {
  /** Act as the user in `sub`: place, read, list and cancel that user's own orders. */
  Customer: `${RESOURCE_SERVER}/customer`,
  /** Read any order, list any user's orders (personal data redacted). */
  Read: `${RESOURCE_SERVER}/read`,
  /** Fulfilment, shipment and delivery of any order (warehouse, shipping). */
  Fulfil: `${RESOURCE_SERVER}/fulfil`,
  /** Read any order, cancel any order (customer support). */
  Support: `${RESOURCE_SERVER}/support`,
} as const;

export type Scope = (typeof Scope)[keyof typeof Scope];

export const allScopes: readonly Scope[] = Object.values(Scope);

/** A scope's name within the resource server: `fulfil` for `orders/fulfil`. */
export type ScopeName = Scope extends `${typeof RESOURCE_SERVER}/${infer Name}` ? Name : never;

export const scopeName = (scope: Scope): ScopeName =>
  scope.slice(RESOURCE_SERVER.length + 1) as ScopeName;

/** One line per scope, for the OpenAPI security scheme and the identity provider's resource server. */
export const scopeDescriptions: Readonly<Record<Scope, string>> = {
  [Scope.Customer]: "Act as the user in the token's sub: place, read, list and cancel own orders",
  [Scope.Read]: "Read any order and list any user's orders (customer e-mail and address redacted)",
  [Scope.Fulfil]: 'Start fulfilment, record shipment and delivery of any order',
  [Scope.Support]: 'Read any order and cancel any order',
};
