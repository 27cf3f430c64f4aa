/**
 * The order lifecycle as a transition table: the only place that decides which status may follow which.
 * Pure data and functions, no I/O.
 */
export const OrderStatus = {
  Pending: 'PENDING',
  AwaitingPayment: 'AWAITING_PAYMENT',
  Paid: 'PAID',
  PaymentFailed: 'PAYMENT_FAILED',
  Fulfilling: 'FULFILLING',
  Shipped: 'SHIPPED',
  Delivered: 'DELIVERED',
  Cancelled: 'CANCELLED',
} as const;

export type OrderStatus = (typeof OrderStatus)[keyof typeof OrderStatus];

export const ORDER_STATUSES: readonly OrderStatus[] = Object.values(OrderStatus);

const { Pending, AwaitingPayment, Paid, PaymentFailed, Fulfilling, Shipped, Delivered, Cancelled } =
  OrderStatus;

const transitions: Readonly<Record<OrderStatus, readonly OrderStatus[]>> = {
  // A payment result may arrive before its initiation is recorded, hence PENDING → PAID | PAYMENT_FAILED.
  [Pending]: [AwaitingPayment, Paid, PaymentFailed, Cancelled],
  [AwaitingPayment]: [Paid, PaymentFailed, Cancelled],
  [Paid]: [Fulfilling, Cancelled],
  [Fulfilling]: [Shipped, Cancelled],
  [Shipped]: [Delivered],
  [Delivered]: [],
  [Cancelled]: [],
  [PaymentFailed]: [],
};

export function canTransition(from: OrderStatus, to: OrderStatus): boolean {
  return transitions[from].includes(to);
}

export function isTerminal(status: OrderStatus): boolean {
  return transitions[status].length === 0;
}

/** Statuses in which the customer has been charged, so a cancellation owes a refund. */
export function isCharged(status: OrderStatus): boolean {
  return status === Paid || status === Fulfilling;
}
