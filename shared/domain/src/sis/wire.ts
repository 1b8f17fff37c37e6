import { z } from "zod";
import type { KpiDay, OrderDetail, OrderPage, OrderSummary } from "../tools/provider.ts";

// The read gateway's wire format (reference §6, docs/sis-contract.md): every answer is the envelope
// {as_of, data, provenance{sources, filters_hash, window?}}; money is a decimal string, counts are
// integers, instants are ISO 8601 with an offset, days are YYYY-MM-DD. The client parses every
// answer with these schemas; the simulator writes its answers with the encoders below.

export const READ_PREFIX = "/ownerbot/v1";

/** A decimal as SIS sends it ("1234.50"); a JSON number is tolerated, anything else is refused. */
const decimal = z.union([z.string().regex(/^-?\d{1,15}(\.\d{1,6})?$/), z.number().finite()]).transform((v) => Number(v));
const count = z.number().int().min(0);
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const instant = z.iso.datetime({ offset: true }).transform((s) => new Date(s));

export const provenanceSchema = z.object({
  sources: z.array(z.string()).min(1),
  filters_hash: z.string(),
  window: z.object({ from: z.string(), to: z.string(), tz: z.string().optional() }).optional(),
});

/** The envelope around `data`; a missing provenance is refused (PROVENANCE_INCOMPLETE in the reference). */
export function envelope<T extends z.ZodType>(data: T) {
  return z.object({ as_of: instant, data, provenance: provenanceSchema });
}

export const pingData = z.object({ status: z.literal("ok"), shop_id: z.string(), time_zone: z.string().optional() });

const kpiFields = {
  revenue_gross: decimal,
  revenue_net: decimal,
  orders_paid: count,
  orders_created: count,
  aov: decimal,
  refunds_count: count,
  refunds_amount: decimal,
};

export const kpiDaysData = z.object({ days: z.array(z.object({ day, ...kpiFields }).strict()) });
export const kpiTotalsData = z.object({ totals: z.object(kpiFields).strict() });
export const trendData = z.object({
  days: z.array(z.object({ day, revenue_gross: decimal, revenue_net: decimal, orders_paid: count }).strict()),
});

const summaryFields = {
  order_id: z.string(),
  order_no: z.number().int().positive(),
  status: z.string(),
  amount: decimal,
  currency: z.string().length(3),
  created_at: instant,
  customer_id: z.string(),
  customer_phone: z.string(),
  coupon_code: z.string().nullable(),
  payment_status: z.string(),
  shipping_status: z.string(),
  ship_due_at: instant.nullable(),
  flagged: z.boolean(),
  flag_reason: z.string().nullable(),
};
const orderSummary = z.object(summaryFields).strict();

export const orderPageData = z.object({ total: count, total_capped: z.boolean(), items: z.array(orderSummary) });
export const orderDetailData = z.object({
  order: z
    .object({
      ...summaryFields,
      paid_at: instant.nullable(),
      shipped_at: instant.nullable(),
      updated_at: instant,
      flagged_at: instant.nullable(),
      customer: z.object({ name: z.string(), phone: z.string(), email: z.string().nullable() }).nullable(),
      items: z.array(z.object({ product_id: z.string(), title: z.string().nullable(), qty: count, unit_price: decimal })),
      payments: z.array(z.object({ payment_id: z.string(), amount: decimal, method: z.string(), status: z.string(), created_at: instant })),
      refunds: z.array(z.object({ refund_id: z.string(), amount: decimal, reason: z.string(), created_at: instant })),
    })
    .strict(),
});

// ---- decoding (client side): wire → provider types ----

type Wire<T extends z.ZodType> = z.output<T>;

export function kpiFromWire(r: Wire<typeof kpiTotalsData>["totals"]): Omit<KpiDay, "day"> {
  return {
    revenueGross: r.revenue_gross,
    revenueNet: r.revenue_net,
    ordersPaid: r.orders_paid,
    ordersCreated: r.orders_created,
    aov: r.aov,
    refundsCount: r.refunds_count,
    refundsAmount: r.refunds_amount,
  };
}

function summaryFromWire(o: Wire<typeof orderSummary>): OrderSummary {
  return {
    orderId: o.order_id,
    orderNo: o.order_no,
    status: o.status,
    amount: o.amount,
    currency: o.currency,
    createdAt: o.created_at,
    customerId: o.customer_id,
    customerPhone: o.customer_phone,
    couponCode: o.coupon_code,
    paymentStatus: o.payment_status,
    shippingStatus: o.shipping_status,
    shipDueAt: o.ship_due_at,
    flagged: o.flagged,
    flagReason: o.flag_reason,
  };
}

export function pageFromWire(p: Wire<typeof orderPageData>): OrderPage {
  return { total: p.total, totalCapped: p.total_capped, items: p.items.map(summaryFromWire) };
}

export function detailFromWire(o: Wire<typeof orderDetailData>["order"]): OrderDetail {
  return {
    ...summaryFromWire(o),
    paidAt: o.paid_at,
    shippedAt: o.shipped_at,
    updatedAt: o.updated_at,
    flaggedAt: o.flagged_at,
    customer: o.customer,
    items: o.items.map((i) => ({ productId: i.product_id, title: i.title, qty: i.qty, unitPrice: i.unit_price })),
    payments: o.payments.map((p) => ({
      paymentId: p.payment_id,
      amount: p.amount,
      method: p.method,
      status: p.status,
      createdAt: p.created_at,
    })),
    refunds: o.refunds.map((r) => ({ refundId: r.refund_id, amount: r.amount, reason: r.reason, createdAt: r.created_at })),
  };
}

// ---- encoding (simulator side): provider types → wire ----

/** A number as a decimal string; String() keeps every digit a float8 has, so the round trip is exact. */
export const dec = (n: number): string => String(n);
const iso = (d: Date | null): string | null => (d === null ? null : d.toISOString());

export function kpiToWire(k: Omit<KpiDay, "day">): Record<string, unknown> {
  return {
    revenue_gross: dec(k.revenueGross),
    revenue_net: dec(k.revenueNet),
    orders_paid: k.ordersPaid,
    orders_created: k.ordersCreated,
    aov: dec(k.aov),
    refunds_count: k.refundsCount,
    refunds_amount: dec(k.refundsAmount),
  };
}

export function summaryToWire(o: OrderSummary): Record<string, unknown> {
  return {
    order_id: o.orderId,
    order_no: o.orderNo,
    status: o.status,
    amount: dec(o.amount),
    currency: o.currency,
    created_at: iso(o.createdAt),
    customer_id: o.customerId,
    customer_phone: o.customerPhone,
    coupon_code: o.couponCode,
    payment_status: o.paymentStatus,
    shipping_status: o.shippingStatus,
    ship_due_at: iso(o.shipDueAt),
    flagged: o.flagged,
    flag_reason: o.flagReason,
  };
}

export function detailToWire(o: OrderDetail): Record<string, unknown> {
  return {
    ...summaryToWire(o),
    paid_at: iso(o.paidAt),
    shipped_at: iso(o.shippedAt),
    updated_at: iso(o.updatedAt),
    flagged_at: iso(o.flaggedAt),
    customer: o.customer,
    items: o.items.map((i) => ({ product_id: i.productId, title: i.title, qty: i.qty, unit_price: dec(i.unitPrice) })),
    payments: o.payments.map((p) => ({
      payment_id: p.paymentId,
      amount: dec(p.amount),
      method: p.method,
      status: p.status,
      created_at: iso(p.createdAt),
    })),
    refunds: o.refunds.map((r) => ({ refund_id: r.refundId, amount: dec(r.amount), reason: r.reason, created_at: iso(r.createdAt) })),
  };
}
