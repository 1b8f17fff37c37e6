import { sql, type ExpressionBuilder, type Expression, type SqlBool } from "kysely";
import type { Db, DB } from "@ownerbot/core/db";
import type { OrderDetail, OrderFilter, OrderPage, OrderSummary } from "./provider.ts";

// Orders for the DEMO provider: search with presets and the single-order card.

/** A payment still pending this long counts as stuck (reference §7). */
export const STUCK_AFTER_HOURS = 6;
/** Payment problems older than this are history, not a to-do; keeps the preset bounded on 1M orders. */
export const PAYMENT_ISSUES_LOOKBACK_HOURS = 720;

const CLOSED = ["cancelled", "refunded", "failed"];
const HOUR = 3_600_000;

type OrderEb = ExpressionBuilder<DB & { o: DB["demo_orders"] }, "o">;

/** What a search string means: an order number, (part of) a phone number, or a name/e-mail. */
export function classifyQuery(q: string): { orderNo?: number; phoneDigits?: string; text?: string } {
  const s = q.trim();
  const order = /^(?:#|№\s*|ob[-\s]?)?(\d{1,9})$/i.exec(s);
  const digits = s.replace(/\D/g, "");
  if (order && !s.startsWith("+") && digits.length <= 7) {
    return { orderNo: Number(order[1]), phoneDigits: digits.length >= 4 ? digits : undefined };
  }
  if (/^[\d\s+()-]+$/.test(s) && digits.length >= 4) {
    // "8 916 …" and "+7 916 …" are the same Russian number; the last ten digits identify it.
    return { phoneDigits: digits.length > 10 ? digits.slice(-10) : digits };
  }
  return { text: s };
}

/** A name fragment as common as a surname can match thousands of customers; enough to fill any page. */
const NAME_MATCH_CAP = 5000;

/**
 * Customers whose name or e-mail contains the text (trigram indexes, 0003). Fetched first and bound
 * as an array, so Postgres hashes it and walks orders newest first instead of trusting a trigram
 * row estimate that is off by a hundred times for common names.
 */
async function customersMatching(db: Db, text: string): Promise<string[]> {
  const like = `%${text.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
  const rows = await db
    .selectFrom("demo_customers")
    .select("customer_id")
    .where((w) => w.or([w("name", "ilike", like), w("email", "ilike", like)]))
    .limit(NAME_MATCH_CAP)
    .execute();
  return rows.map((r) => r.customer_id);
}

/** Customers found for the search text before the orders query: by name/e-mail, and by phone digits. */
type Matches = { text: string[] | null; phone: string[] };

/**
 * Customers whose phone contains the digits. Every order carries its customer's phone, so this is
 * the orders' phone search too, through the far smaller customers table (trigram index, 0010).
 */
async function customersByPhone(db: Db, digits: string): Promise<string[]> {
  const rows = await sql<{ customer_id: string }>`SELECT customer_id FROM demo_customers
    WHERE regexp_replace(phone, '\\D', '', 'g') LIKE ${`%${digits}%`} LIMIT ${NAME_MATCH_CAP}`.execute(db);
  return rows.rows.map((r) => r.customer_id);
}

function filterExpr(eb: OrderEb, f: OrderFilter, m: Matches): Expression<SqlBool> {
  const customerIds = m.text;
  const and: Expression<SqlBool>[] = [];
  const now = f.now;
  if (f.q && f.q.trim()) {
    const c = classifyQuery(f.q);
    const or: Expression<SqlBool>[] = [];
    if (c.orderNo !== undefined) or.push(eb("o.order_no", "=", c.orderNo));
    if (c.phoneDigits) {
      // Orders carry their customer's phone; the customers were found by it first (0010).
      or.push(m.phone.length > 0 ? sql<SqlBool>`o.customer_id = ANY(${m.phone}::text[])` : sql<SqlBool>`false`);
    }
    if (c.text && /^cu-\d+$/i.test(c.text)) {
      or.push(eb("o.customer_id", "=", c.text.toUpperCase()));
    } else if (c.text) {
      or.push(customerIds && customerIds.length > 0 ? sql<SqlBool>`o.customer_id = ANY(${customerIds}::text[])` : sql<SqlBool>`false`);
    }
    and.push(eb.or(or));
  }
  if (f.status) and.push(eb("o.status", "=", f.status));
  if (f.createdFrom) and.push(eb("o.created_at", ">=", f.createdFrom));
  if (f.createdBefore) and.push(eb("o.created_at", "<", f.createdBefore));
  if (f.flagged !== undefined) and.push(eb("o.flagged", "=", f.flagged));
  if (f.preset === "stuck") {
    and.push(
      eb.or([
        eb("o.status", "=", "stuck"),
        eb.and([
          eb("o.payment_status", "=", "pending"),
          eb("o.created_at", "<=", new Date(now.getTime() - STUCK_AFTER_HOURS * HOUR)),
          eb("o.status", "not in", CLOSED),
        ]),
      ]),
    );
  } else if (f.preset === "late_ship") {
    and.push(eb("o.payment_status", "=", "paid"));
    and.push(eb("o.shipping_status", "in", ["none", "pending"]));
    and.push(eb("o.ship_due_at", "<", now));
    and.push(eb("o.status", "not in", CLOSED));
  } else if (f.preset === "payment_issues") {
    and.push(eb("o.payment_status", "in", ["pending", "failed"]));
    and.push(eb("o.created_at", ">=", new Date(now.getTime() - PAYMENT_ISSUES_LOOKBACK_HOURS * HOUR)));
    and.push(eb.or([eb("o.payment_status", "=", "failed"), eb("o.created_at", "<=", new Date(now.getTime() - f.sinceHours * HOUR))]));
  }
  return and.length > 0 ? eb.and(and) : sql<SqlBool>`true`;
}

const summaryColumns = [
  "o.order_id",
  "o.order_no",
  "o.status",
  "o.amount",
  "o.currency",
  "o.created_at",
  "o.customer_id",
  "o.customer_phone",
  "o.coupon_code",
  "o.payment_status",
  "o.shipping_status",
  "o.ship_due_at",
  "o.flagged",
  "o.flag_reason",
] as const;

type SummaryRow = {
  order_id: string;
  order_no: number;
  status: string;
  amount: number;
  currency: string;
  created_at: Date;
  customer_id: string;
  customer_phone: string;
  coupon_code: string | null;
  payment_status: string;
  shipping_status: string;
  ship_due_at: Date | null;
  flagged: boolean;
  flag_reason: string | null;
};

function toSummary(r: SummaryRow): OrderSummary {
  return {
    orderId: r.order_id,
    orderNo: r.order_no,
    status: r.status,
    amount: r.amount,
    currency: r.currency,
    createdAt: r.created_at,
    customerId: r.customer_id,
    customerPhone: r.customer_phone,
    couponCode: r.coupon_code,
    paymentStatus: r.payment_status,
    shippingStatus: r.shipping_status,
    shipDueAt: r.ship_due_at,
    flagged: r.flagged,
    flagReason: r.flag_reason,
  };
}

export async function searchOrders(db: Db, f: OrderFilter, countCap: number): Promise<OrderPage> {
  const c = f.q ? classifyQuery(f.q) : {};
  const [text, phone] = await Promise.all([
    c.text && !/^cu-\d+$/i.test(c.text) ? customersMatching(db, c.text) : null,
    c.phoneDigits ? customersByPhone(db, c.phoneDigits) : [],
  ]);
  const where = (eb: OrderEb): Expression<SqlBool> => filterExpr(eb, f, { text, phone });
  const [rows, counted] = await Promise.all([
    db
      .selectFrom("demo_orders as o")
      .select(summaryColumns)
      .where(where)
      .orderBy("o.created_at", "desc")
      .orderBy("o.order_no", "desc")
      .limit(f.limit)
      .offset(f.offset)
      .execute(),
    // Counting a million matches would cost more than the page; stop one past the cap.
    db
      .selectFrom(
        db
          .selectFrom("demo_orders as o")
          .select(sql<number>`1`.as("one"))
          .where(where)
          .limit(countCap + 1)
          .as("m"),
      )
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow(),
  ]);
  const n = Number(counted.n);
  return { total: Math.min(n, countCap), totalCapped: n > countCap, items: rows.map(toSummary) };
}

export async function orderDetail(db: Db, orderNo: number): Promise<OrderDetail | null> {
  const o = await db
    .selectFrom("demo_orders as o")
    .select([...summaryColumns, "o.paid_at", "o.shipped_at", "o.updated_at", "o.flagged_at"])
    .where("o.order_no", "=", orderNo)
    .executeTakeFirst();
  if (!o) return null;
  const [customer, items, payments, refunds] = await Promise.all([
    db.selectFrom("demo_customers").select(["name", "phone", "email"]).where("customer_id", "=", o.customer_id).executeTakeFirst(),
    db
      .selectFrom("demo_order_items as i")
      .leftJoin("demo_products as p", "p.product_id", "i.product_id")
      .select(["i.product_id", "p.title", "i.qty", "i.unit_price"])
      .where("i.order_id", "=", o.order_id)
      .orderBy("i.id")
      .execute(),
    db
      .selectFrom("demo_payments")
      .select(["payment_id", "amount", "method", "status", "created_at"])
      .where("order_id", "=", o.order_id)
      .orderBy("created_at")
      .execute(),
    db
      .selectFrom("demo_refunds")
      .select(["refund_id", "amount", "reason", "created_at"])
      .where("order_id", "=", o.order_id)
      .orderBy("created_at")
      .execute(),
  ]);
  return {
    ...toSummary(o),
    paidAt: o.paid_at,
    shippedAt: o.shipped_at,
    updatedAt: o.updated_at,
    flaggedAt: o.flagged_at,
    customer: customer ?? null,
    items: items.map((i) => ({ productId: i.product_id, title: i.title, qty: i.qty, unitPrice: i.unit_price })),
    payments: payments.map((p) => ({
      paymentId: p.payment_id,
      amount: p.amount,
      method: p.method,
      status: p.status,
      createdAt: p.created_at,
    })),
    refunds: refunds.map((r) => ({ refundId: r.refund_id, amount: r.amount, reason: r.reason, createdAt: r.created_at })),
  };
}
