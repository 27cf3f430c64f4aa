import type { Order } from '../domain/order.ts';

/**
 * The order as the API shows it (JSON dates). Without `personalData` the customer's e-mail and address
 * are left out (a caller with `orders/read` alone).
 */
export function toOrderResource(order: Order, { personalData = true } = {}) {
  const personal = personalData
    ? { customerEmail: order.customerEmail, shippingAddress: order.shippingAddress }
    : {};
  return {
    id: order.id,
    userId: order.userId,
    status: order.status,
    currency: order.currency,
    items: order.items.map((item) => ({ ...item })),
    subtotal: order.subtotal,
    total: order.total,
    ...personal,
    payment: order.payment,
    shipment: order.shipment,
    version: order.version,
    createdAt: order.createdAt.toISOString(),
    updatedAt: order.updatedAt.toISOString(),
    statusHistory: order.statusHistory.map((change) => ({
      ...change,
      at: change.at.toISOString(),
    })),
  };
}

export const etagOf = (order: Pick<Order, 'version'>) => `"${order.version}"`;
export const locationOf = (order: Pick<Order, 'id'>) => `/api/v1/orders/${order.id}`;
