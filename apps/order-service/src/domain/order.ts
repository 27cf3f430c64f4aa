import { OrderError } from './errors.ts';
import { multiply, sum } from './money.ts';
import { canTransition, OrderStatus } from './order-status.ts';

export interface ShippingAddress {
  readonly name: string;
  readonly line1: string;
  readonly line2?: string;
  readonly city: string;
  readonly postalCode: string;
  /** ISO 3166-1 alpha-2. */
  readonly country: string;
}

interface OrderItem {
  readonly productId: string;
  readonly quantity: number;
  /** Minor units, as priced by the product side. */
  readonly unitPrice: number;
  readonly lineTotal: number;
}

type PaymentStatus = 'pending' | 'succeeded' | 'failed';

export interface PaymentRecord {
  readonly paymentId: string;
  readonly status: PaymentStatus;
}

export interface Shipment {
  readonly carrier: string;
  readonly trackingNumber: string;
}

export interface StatusChange {
  readonly from: OrderStatus | null;
  readonly to: OrderStatus;
  readonly reason: string | null;
  /** Who caused it: `customer`, `payment-service`, `operator`, `dispatcher`, `sweeper`, … */
  readonly actor: string;
  readonly at: Date;
}

export interface Order {
  readonly id: string;
  readonly userId: string;
  readonly status: OrderStatus;
  readonly currency: string;
  readonly items: readonly OrderItem[];
  readonly subtotal: number;
  readonly total: number;
  readonly customerEmail: string;
  readonly shippingAddress: ShippingAddress;
  readonly payment: PaymentRecord | null;
  readonly shipment: Shipment | null;
  readonly version: number;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  readonly statusHistory: readonly StatusChange[];
}

interface PricedLine {
  readonly productId: string;
  readonly quantity: number;
  readonly unitPrice: number;
}

export interface NewOrder {
  readonly id: string;
  readonly userId: string;
  readonly currency: string;
  readonly customerEmail: string;
  readonly shippingAddress: ShippingAddress;
  readonly lines: readonly PricedLine[];
  readonly at: Date;
  /** Who placed it (the caller's `sub`), recorded in the status history. */
  readonly actor: string;
}

/** A placed order: stock is reserved and prices come from the product side, never from the client. */
export function placeOrder(input: NewOrder): Order {
  const items = input.lines.map((line) => ({
    productId: line.productId,
    quantity: line.quantity,
    unitPrice: line.unitPrice,
    lineTotal: multiply(line.unitPrice, line.quantity),
  }));
  const subtotal = sum(items.map((item) => item.lineTotal));
  return {
    id: input.id,
    userId: input.userId,
    status: OrderStatus.Pending,
    currency: input.currency,
    items,
    subtotal,
    // No fees or taxes yet.
    total: subtotal,
    customerEmail: input.customerEmail,
    shippingAddress: input.shippingAddress,
    payment: null,
    shipment: null,
    version: 1,
    createdAt: input.at,
    updatedAt: input.at,
    statusHistory: [
      { from: null, to: OrderStatus.Pending, reason: null, actor: input.actor, at: input.at },
    ],
  };
}

export interface TransitionRequest {
  readonly to: OrderStatus;
  readonly reason?: string | null;
  readonly actor: string;
  readonly at: Date;
  readonly payment?: PaymentRecord;
  readonly shipment?: Shipment;
}

/** The order after a legal status change; refuses an illegal one with `invalid_transition`. */
export function transition(order: Order, request: TransitionRequest): Order {
  if (!canTransition(order.status, request.to)) {
    throw new OrderError(
      'invalid_transition',
      `An order in status ${order.status} cannot move to ${request.to}.`,
      { currentStatus: order.status, requestedStatus: request.to },
    );
  }
  const change: StatusChange = {
    from: order.status,
    to: request.to,
    reason: request.reason ?? null,
    actor: request.actor,
    at: request.at,
  };
  return {
    ...order,
    status: request.to,
    payment: request.payment ?? order.payment,
    shipment: request.shipment ?? order.shipment,
    version: order.version + 1,
    updatedAt: request.at,
    statusHistory: [...order.statusHistory, change],
  };
}
