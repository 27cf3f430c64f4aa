/**
 * The simulated catalogue is the order service's own (its in-process simulation), so both simulations
 * price and stock products alike: every product id exists with ample stock and a price derived from the
 * id, except `oos-…` (always out of stock) and `unknown-…` (no such product).
 */
export {
  SIMULATED_STOCK,
  simulatedProduct,
  simulatedUnitPrice,
} from '@mallhive/order-service/simulated-catalogue';
export type { SimulatedProduct } from '@mallhive/order-service/simulated-catalogue';
