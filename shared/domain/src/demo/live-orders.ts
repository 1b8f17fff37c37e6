// New orders of the live demo shop, decided in TypeScript minute by minute: how many arrive in a
// minute (the seed's weekday and intraday curves around the shop's recent daily volume), who buys,
// what and with which coupon. Each minute draws from its own random stream, so the orders of a
// minute are the same however the minutes are grouped into runs.

import type pg from "pg";
import { localParts } from "../format/dates.ts";
import { EMAIL_DOMAINS, FEMALE_NAMES, MALE_NAMES, SURNAMES } from "./people.ts";
import { couponPlan, historyDays, intradayShareBefore } from "./plan.ts";
import { minorToDecimal } from "./products.ts";
import { pick, streamRng } from "./prng.ts";

/** Monday … Sunday, as the seed's day plan weighs them, normalised to a mean of 1. */
const WEEKDAY = [0.95, 0.86, 0.76, 0.88, 1.05, 1.32, 1.24].map((w, _i, all) => (w * all.length) / all.reduce((a, b) => a + b, 0));

/** The share of a day's orders placed in each minute of the shop-local day (the seed's intraday curve). */
const MINUTE_SHARE = Array.from({ length: 1440 }, (_, m) => intradayShareBefore((m + 1) / 1440) - intradayShareBefore(m / 1440));

/** The live stream of a minute: far from the seed's own streams (1–5). */
const minuteStream = (minute: number): number => 10_000 + (minute % 2_000_000_000);

export type LiveShop = { seed: number; scale: number; timeZone: string; currency: string; liveSince: Date; dailyOrders: number };
type Product = { productId: string; priceMinor: number };
type Coupon = {
  code: string;
  percentOff: number | null;
  amountOffMinor: number | null;
  share: number;
  /** Its validity window, so an order uses it only while it runs (whatever minutes a run covers). */
  startsMs: number;
  endsMs: number;
};
type Line = { productId: string; qty: number; unitMinor: number };
export type NewOrder = {
  orderNo: number;
  createdAt: Date;
  customerNo: number;
  newCustomer: boolean;
  lines: Line[];
  coupon: string | null;
  amountMinor: number;
  method: string;
};

/** A Poisson draw (Knuth), enough for the few orders a minute brings. */
function poisson(rng: () => number, lambda: number): number {
  const limit = Math.exp(-lambda);
  let k = 0;
  for (let p = rng(); p > limit; p *= rng()) k++;
  return k;
}

/** Orders expected in the minute starting at `at`, from the shop's daily volume. */
export function minuteRate(shop: Pick<LiveShop, "timeZone" | "dailyOrders">, at: Date): number {
  const p = localParts(at, shop.timeZone);
  const dow = (new Date(Date.UTC(p.year, p.month - 1, p.day)).getUTCDay() + 6) % 7;
  return shop.dailyOrders * (WEEKDAY[dow] ?? 1) * (MINUTE_SHARE[p.hour * 60 + p.minute] ?? 0);
}

/** What a basket draws from and how far the numbering has got; read once per run. */
export type OrderBook = { nextOrderNo: number; customers: number; products: Product[]; coupons: Coupon[] };

export async function loadOrderBook(c: pg.PoolClient, shop: LiveShop): Promise<OrderBook> {
  // One client, one query at a time (a transaction's statements run in order anyway).
  const orders = await c.query<{ n: number }>("SELECT coalesce(max(order_no), 1000)::int AS n FROM demo_orders");
  const customers = await c.query<{ n: number }>("SELECT coalesce(max(substr(customer_id, 4)::int), 0) AS n FROM demo_customers");
  // What can be bought: published, priced, in stock; in creation order, as the seed numbers them.
  const products = await c.query<{ product_id: string; price: number }>(
    "SELECT product_id, price::float8 AS price FROM demo_products WHERE published AND price > 0 AND stock_qty > 0 ORDER BY product_id",
  );
  const coupons = await c.query<{
    code: string;
    percent_off: number | null;
    amount_off: number | null;
    starts_at: Date | null;
    ends_at: Date | null;
  }>(
    `SELECT code, percent_off::float8 AS percent_off, amount_off::float8 AS amount_off, starts_at, ends_at FROM demo_coupons
     WHERE active AND (max_uses IS NULL OR used_count < max_uses) ORDER BY code`,
  );
  const shares = new Map(couponPlan(historyDays(shop.scale)).map((p) => [p.code, p.share]));
  return {
    nextOrderNo: (orders.rows[0]?.n ?? 1000) + 1,
    customers: customers.rows[0]?.n ?? 0,
    products: products.rows.map((r) => ({ productId: r.product_id, priceMinor: Math.round(r.price * 100) })),
    coupons: coupons.rows
      .filter((r) => (shares.get(r.code) ?? 0) > 0)
      .map((r) => ({
        code: r.code,
        percentOff: r.percent_off,
        amountOffMinor: r.amount_off === null ? null : Math.round(r.amount_off * 100),
        share: shares.get(r.code) ?? 0,
        startsMs: r.starts_at?.getTime() ?? -Infinity,
        endsMs: r.ends_at?.getTime() ?? Infinity,
      })),
  };
}

function basket(rng: () => number, products: Product[]): Line[] {
  const u = rng();
  const n = Math.min(products.length, u < 0.55 ? 1 : u < 0.82 ? 2 : u < 0.95 ? 3 : 4);
  // Newest products sell best (the seed's rule): lines go down from a pick skewed to the end.
  const avail = products.length;
  const start = Math.floor(avail * Math.pow(rng(), 1.7));
  return Array.from({ length: n }, (_, li) => {
    const p = products[avail - 1 - ((start + li) % avail)]!;
    const q = rng();
    return { productId: p.productId, qty: q < 0.86 ? 1 : q < 0.97 ? 2 : 3, unitMinor: p.priceMinor };
  });
}

function discountOf(c: Coupon, subtotal: number): number {
  return c.percentOff !== null ? Math.floor((subtotal * c.percentOff + 50) / 100) : Math.min(c.amountOffMinor ?? 0, subtotal);
}

/** The orders created in (from, to], minute by minute, numbered on from the book. */
export function drawOrders(shop: LiveShop, book: OrderBook, from: Date, to: Date): NewOrder[] {
  const out: NewOrder[] = [];
  if (book.products.length === 0) return out;
  let customers = book.customers;
  for (let minute = Math.floor(from.getTime() / 60_000); minute * 60_000 < to.getTime(); minute++) {
    const rng = streamRng(shop.seed, minuteStream(minute));
    const n = poisson(rng, minuteRate(shop, new Date(minute * 60_000)));
    const times = Array.from({ length: n }, () => minute * 60_000 + Math.floor(rng() * 60) * 1000).sort((a, b) => a - b);
    for (const ms of times) {
      if (ms <= from.getTime() || ms > to.getTime()) continue;
      // Nearly half the orders are someone's first; the rest come from earlier customers, recent ones more.
      const newCustomer = customers === 0 || rng() < 0.45;
      const customerNo = newCustomer ? ++customers : Math.max(1, Math.ceil(customers * Math.sqrt(rng())));
      const lines = basket(rng, book.products);
      const subtotal = lines.reduce((s, l) => s + l.qty * l.unitMinor, 0);
      let acc = 0;
      const u = rng();
      const running = book.coupons.filter((c) => c.startsMs <= ms && ms < c.endsMs);
      const coupon = running.find((c) => u >= acc && u < (acc += c.share)) ?? null;
      const m = rng();
      out.push({
        orderNo: book.nextOrderNo + out.length,
        createdAt: new Date(ms),
        customerNo,
        newCustomer,
        lines,
        coupon: coupon?.code ?? null,
        amountMinor: subtotal - (coupon ? discountOf(coupon, subtotal) : 0),
        method: m < 0.58 ? "card" : m < 0.96 ? "sbp" : "cash",
      });
    }
  }
  return out;
}

const customerId = (n: number): string => `CU-${String(n).padStart(7, "0")}`;
/** The seed's phone bijection (context.ts phoneSql), so a customer's phone never collides. */
const phoneOf = (n: number): string => `+79${String((BigInt(n) * 387420489n + 12345678n) % 1000000000n).padStart(9, "0")}`;

function newCustomerRow(seed: number, no: number, at: Date): unknown[] {
  const rng = streamRng(seed, 2_100_000_000 + (no % 40_000_000));
  const fem = rng() < 0.78;
  const [first, latin] = fem ? pick(rng, FEMALE_NAMES) : pick(rng, MALE_NAMES);
  const [surM, surF, surLatin] = pick(rng, SURNAMES);
  const email = rng() < 0.65 ? `${latin}.${surLatin}${fem ? "a" : ""}${no % 1000}@${pick(rng, EMAIL_DOMAINS)}` : null;
  return [customerId(no), `${first} ${fem ? surF : surM}`, phoneOf(no), email, at];
}

/** Writes the orders: customers first, then orders (pending payment), their lines and payment attempts. */
export async function insertOrders(c: pg.PoolClient, shop: LiveShop, orders: NewOrder[]): Promise<void> {
  if (orders.length === 0) return;
  const fresh = orders.filter((o) => o.newCustomer);
  for (const o of fresh) {
    await c.query(
      "INSERT INTO demo_customers (customer_id, name, phone, email, created_at) VALUES ($1, $2, $3, $4, $5)",
      newCustomerRow(shop.seed, o.customerNo, o.createdAt),
    );
  }
  const cur = shop.currency;
  await c.query(
    `INSERT INTO demo_orders (order_id, order_no, status, amount, currency, created_at, customer_id, customer_phone, coupon_code,
       payment_status, shipping_status, updated_at)
     SELECT 'OB-' || no, no, 'pending', amount, $5, created, 'CU-' || lpad(cust::text, 7, '0'),
       '+79' || lpad(((cust::bigint * 387420489 + 12345678) % 1000000000)::text, 9, '0'), coupon, 'pending', 'none', created
     FROM unnest($1::bigint[], $2::numeric[], $3::timestamptz[], $4::int[], $6::text[]) AS t(no, amount, created, cust, coupon)`,
    [
      orders.map((o) => o.orderNo),
      orders.map((o) => minorToDecimal(o.amountMinor)),
      orders.map((o) => o.createdAt),
      orders.map((o) => o.customerNo),
      cur,
      orders.map((o) => o.coupon),
    ],
  );
  const lines = orders.flatMap((o) => o.lines.map((l, i) => ({ o, l, id: (o.orderNo - 1001) * 4 + i + 1 })));
  await c.query(
    `INSERT INTO demo_order_items (id, order_id, product_id, qty, unit_price, currency, created_at) OVERRIDING SYSTEM VALUE
     SELECT id, 'OB-' || no, product, qty, price, $6, created FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::int[], $5::numeric[], $7::timestamptz[])
       AS t(id, no, product, qty, price, created)`,
    [
      lines.map((x) => x.id),
      lines.map((x) => x.o.orderNo),
      lines.map((x) => x.l.productId),
      lines.map((x) => x.l.qty),
      lines.map((x) => minorToDecimal(x.l.unitMinor)),
      cur,
      lines.map((x) => x.o.createdAt),
    ],
  );
  await c.query("SELECT setval(pg_get_serial_sequence('demo_order_items', 'id'), greatest(1, (SELECT max(id) FROM demo_order_items)))");
  await c.query(
    `INSERT INTO demo_payments (payment_id, order_id, amount, method, status, created_at)
     SELECT 'PAY-' || no || '-1', 'OB-' || no, amount, method, 'pending', created FROM unnest($1::bigint[], $2::numeric[], $3::text[], $4::timestamptz[]) AS t(no, amount, method, created)`,
    [
      orders.map((o) => o.orderNo),
      orders.map((o) => minorToDecimal(o.amountMinor)),
      orders.map((o) => o.method),
      orders.map((o) => o.createdAt),
    ],
  );
  // used_count = orders carrying the code (seed.ts): the new ones are added.
  const used = new Map<string, { n: number; at: Date }>();
  for (const o of orders) if (o.coupon) used.set(o.coupon, { n: (used.get(o.coupon)?.n ?? 0) + 1, at: o.createdAt });
  for (const [code, u] of used)
    await c.query("UPDATE demo_coupons SET used_count = used_count + $2, updated_at = $3 WHERE code = $1", [code, u.n, u.at]);
}
