/** The order service's typed client, generated from docs/contracts/order-service.openapi.json. */
import type { components, operations } from './generated/order-service.ts';

export { createOrderClient, type OrderClient, type OrderClientOptions } from './order-client.ts';
export {
  isProblem,
  ok,
  OrderServiceProblem,
  type Problem,
  type ProblemCode,
  type ProblemOf,
} from './problem.ts';
export type { components, operations, paths } from './generated/order-service.ts';

/** An order as the service shows it. */
export type Order = components['schemas']['Order'];
/** What checkout sends to place an order. */
export type PlaceOrderRequest =
  operations['placeOrder']['requestBody']['content']['application/json'];
/** One page of a user's orders. */
export type OrderPage =
  operations['listUserOrders']['responses'][200]['content']['application/json'];
export type OrderStatus = Order['status'];
