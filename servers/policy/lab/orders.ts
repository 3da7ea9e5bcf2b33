/**
 * The Orders operations themselves (place, query, cancel), on one sandbox's small in-memory order book. Input is
 * the request's body element; output is the response body XML, or a fault the provider wraps.
 */
import { escapeXml, type XmlElement } from '../../../lib/protocols/soap/xml.ts';
import { parseXsdInt } from '../../../lib/protocols/soap/xsd-int.ts';
import type { OrderOperation } from './contracts.ts';
import { childText } from './envelope.ts';
import { ORDERS_NS } from './ns.ts';

export interface Order {
  item: string;
  quantity: number;
  status: string;
}

const MAX_ORDERS = 500;
const MAX_ITEM = 100;

type Result = { body: string } | { fault: { subcode: string; reason: string } };

const out = (op: string, fields: Record<string, string | number>): { body: string } => ({
  body: `<ord:${op}Response>${Object.entries(fields)
    .map(([k, v]) => `<ord:${k}>${escapeXml(String(v))}</ord:${k}>`)
    .join('')}</ord:${op}Response>`,
});

/** Runs `operation` on `orders` with the arguments in `body` (already known to be ord:<operation>). */
export function runOperation(orders: Map<string, Order>, operation: OrderOperation, body: XmlElement): Result {
  const arg = (name: string) => childText(body, ORDERS_NS, name);
  if (operation === 'placeOrder') {
    const item = arg('item') ?? '';
    const quantity = parseXsdInt(arg('quantity'));
    if (!item || item.length > MAX_ITEM) return { fault: { subcode: 'InvalidArgument', reason: `item must be 1 to ${MAX_ITEM} characters.` } };
    if (quantity === null || quantity < 1 || quantity > 1000) return { fault: { subcode: 'InvalidArgument', reason: 'quantity must be an integer from 1 to 1000.' } };
    if (orders.size >= MAX_ORDERS) orders.delete(orders.keys().next().value ?? '');
    const orderId = `ORD-${String(orders.size + 1).padStart(4, '0')}-${Math.random().toString(36).slice(2, 6)}`;
    orders.set(orderId, { item, quantity, status: 'placed' });
    return out('placeOrder', { orderId, status: 'placed' });
  }
  const orderId = arg('orderId') ?? '';
  const order = orders.get(orderId);
  if (!order) return { fault: { subcode: 'UnknownOrder', reason: `No order ${orderId.slice(0, 60) || '(empty id)'}.` } };
  if (operation === 'getOrder') return out('getOrder', { orderId, item: order.item, quantity: order.quantity, status: order.status });
  order.status = 'cancelled';
  return out('cancelOrder', { orderId, status: order.status });
}
