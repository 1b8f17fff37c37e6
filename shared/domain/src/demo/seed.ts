/**
 * The deterministic DEMO shop generator: `seedDemo` truncates the demo_* tables and fills them
 * with a shop's history of `scale` orders ending at `asOf` on `anchorDay`. The same scale, seed,
 * anchor day, as_of, time zone and currency give byte-identical rows (demo_meta.generated_at
 * aside). docs/demo-data.md describes the shop; the definitions the read tools rely on are:
 *
 * Time
 *   demo_meta.as_of is the shop's "now": no generated timestamp is later. Shop-local days are
 *   counted in demo_meta.time_zone; history covers history_from … anchor_day (both inclusive).
 *
 * demo_kpi_daily — one row per shop-local day of the history, zeros included:
 *   revenue_gross  = Σ demo_orders.amount of orders whose paid_at falls on the day (whatever the
 *                    order's status now, so a later refund does not rewrite the day it was paid)
 *   orders_paid    = count of those orders
 *   orders_created = count of demo_orders whose created_at falls on the day (every status)
 *   refunds_count  = count of demo_refunds whose created_at falls on the day
 *   refunds_amount = Σ demo_refunds.amount of those refunds
 *   revenue_net    = revenue_gross − refunds_amount (may dip below zero on a heavy refund day)
 *   aov            = round(revenue_net / max(orders_paid, 1), 2)
 *
 * demo_product_sales_daily — per (shop-local day of paid_at, product) for orders with a paid_at:
 *   qty = Σ demo_order_items.qty, revenue = Σ qty · unit_price (before coupon discounts).
 *   Days and products without sales have no row. (Aggregated from the staged lines the items were
 *   written from, which is cheaper at 1M; the tests check it against the written rows.)
 *
 * demo_funnel_daily — one row per day: orders_created as in demo_kpi_daily; orders_paid is the
 *   day's cohort (orders created that day that have a paid_at); visits ≥ product_views ≥
 *   add_to_cart ≥ checkout_started ≥ orders_created ≥ orders_paid, drawn backwards from the orders.
 *
 * Orders: amount = Σ qty · unit_price − coupon discount (percent: round(subtotal · p / 100, 2);
 *   fixed: min(amount_off, subtotal)). demo_coupons.used_count = number of demo_orders carrying the
 *   code, any status. The last demo_payments row of an order (highest payment_id suffix) has the
 *   order's payment_status. Refunds are whole-order; a refunded order keeps its paid_at.
 *
 * Anomalies present at every scale (relative to as_of / anchor_day): see plan.ts (PLANTED, dip and
 * spike days), products.ts (catalogue problems), extras.ts (unanswered chats), finalize-orders.ts
 * (refund spike, flags) and docs/demo-data.md.
 */

import type pg from "pg";
import type { SeedContext } from "./context.ts";
import { buildChats, buildFx, buildLooks } from "./extras.ts";
import { finalizeOrders } from "./finalize-orders.ts";
import { rebuildDeferred, takeDownIndexes } from "./indexes.ts";
import { couponPlan, customerCount, historyDays, MAX_SCALE, MIN_SCALE, PLANTED, planDays, addDays } from "./plan.ts";
import { buildProducts } from "./products.ts";
import { buildRollups } from "./rollups.ts";
import { insertCoupons, insertFxAndMeta, insertProducts, insertTeamChatsLooks } from "./small-tables.ts";
import { stageOrders } from "./stage-orders.ts";

export type SeedOptions = {
  /** Number of orders, 1 000 … 1 000 000. */
  scale: number;
  seed?: number;
  /** The shop's "today" (YYYY-MM-DD); default: the local day of asOf, or of now. */
  anchorDay?: string;
  /** The shop's "now". Default: 18:00 local on anchorDay when it is given, else the current time. */
  asOf?: Date;
  timeZone: string;
  currency: string;
  /**
   * A live shop keeps receiving orders and messages as real time passes (live.ts, run by the
   * scheduler); without it the shop stays at as_of. Only a shop seeded "now" makes sense live.
   */
  live?: boolean;
};

export type SeedResult = {
  orders: number;
  items: number;
  products: number;
  customers: number;
  payments: number;
  refunds: number;
  coupons: number;
  chats: number;
  looks: number;
  fxRates: number;
  kpiDays: number;
  productSalesRows: number;
  anchorDay: string;
  asOf: string;
  ms: number;
  steps: { step: string; ms: number }[];
};

export const DEMO_TABLES = [
  "demo_products",
  "demo_customers",
  "demo_orders",
  "demo_order_items",
  "demo_payments",
  "demo_refunds",
  "demo_kpi_daily",
  "demo_product_sales_daily",
  "demo_funnel_daily",
  "demo_coupons",
  "demo_team",
  "demo_chat_threads",
  "demo_looks",
  "demo_fx_rates",
  "demo_meta",
] as const;

export function localDay(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(at);
}

function validate(opts: SeedOptions): void {
  if (!Number.isInteger(opts.scale) || opts.scale < MIN_SCALE || opts.scale > MAX_SCALE)
    throw new RangeError(`scale must be an integer from ${MIN_SCALE} to ${MAX_SCALE}, got ${opts.scale}`);
  const seed = opts.seed ?? 42;
  if (!Number.isInteger(seed) || seed < 0 || seed > 2_147_483_647)
    throw new RangeError(`seed must be an integer from 0 to 2147483647, got ${seed}`);
  if (!/^[A-Z]{3}$/.test(opts.currency)) throw new RangeError(`currency must be an ISO 4217 code, got "${opts.currency}"`);
  new Intl.DateTimeFormat("en", { timeZone: opts.timeZone }); // throws RangeError on an unknown zone
  if (opts.anchorDay !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(opts.anchorDay))
    throw new RangeError(`anchorDay must look like YYYY-MM-DD, got "${opts.anchorDay}"`);
}

export async function seedDemo(pool: pg.Pool, opts: SeedOptions): Promise<SeedResult> {
  validate(opts);
  const started = performance.now();
  const steps: { step: string; ms: number }[] = [];
  let mark = started;
  const step = (name: string): void => {
    const now = performance.now();
    steps.push({ step: name, ms: Math.round(now - mark) });
    mark = now;
  };
  const seed = opts.seed ?? 42;
  const tz = opts.timeZone;
  const nowish = opts.asOf ?? (opts.anchorDay === undefined ? new Date(Math.floor(Date.now() / 1000) * 1000) : undefined);
  const anchorDay = opts.anchorDay ?? localDay(nowish!, tz);
  const days = historyDays(opts.scale);
  const historyFrom = addDays(anchorDay, -(days - 1));

  const client = await pool.connect();
  let released = false;
  try {
    // Shop-local midnights from the first day of history to 40 days past the anchor (coupon windows).
    const { rows } = await client.query<{ midnights: number[]; evening: number }>(
      `SELECT array_agg(extract(epoch FROM d::timestamp AT TIME ZONE $3)::bigint ORDER BY d) AS midnights,
              extract(epoch FROM ($2::date + time '18:00') AT TIME ZONE $3)::bigint AS evening
       FROM generate_series($1::date, $2::date + 40, interval '1 day') d`,
      [historyFrom, anchorDay, tz],
    );
    const midnights = rows[0]!.midnights;
    const midnight = (daysAgo: number): number => {
      const m = midnights[days - 1 - daysAgo];
      if (m === undefined) throw new RangeError(`no midnight ${daysAgo} days before ${anchorDay}`);
      return m;
    };
    const asOf = nowish ?? new Date(rows[0]!.evening * 1000);
    const asOfEpoch = Math.floor(asOf.getTime() / 1000);
    if (asOfEpoch <= midnight(0) || asOfEpoch > midnight(-1))
      throw new RangeError(`asOf ${asOf.toISOString()} is not within anchorDay ${anchorDay} in ${tz}`);
    const dayFraction = (asOfEpoch - midnight(0)) / (midnight(-1) - midnight(0));
    const historyStartEpoch = midnight(days - 1);
    const products = buildProducts({
      scale: opts.scale,
      seed,
      currency: opts.currency,
      historyStartMs: historyStartEpoch * 1000,
      asOfMs: asOfEpoch * 1000,
    });
    const ctx: SeedContext = {
      client,
      seed,
      scale: opts.scale,
      regular: opts.scale - PLANTED.length,
      customers: customerCount(opts.scale),
      products: products.rows.length,
      establishedProducts: products.establishedCount,
      currency: opts.currency,
      timeZone: tz,
      anchorDay,
      historyFrom,
      historyDays: days,
      asOf: new Date(asOfEpoch * 1000),
      asOfEpoch,
      historyStartEpoch,
      midnight,
    };
    const salePrices = products.rows.map((p) => p.salePrice);
    const coupons = couponPlan(days);
    step("plan");

    await client.query("BEGIN");
    // A 1M-order load runs longer than the pool's per-statement guard; sorts and hashes need memory.
    await client.query("SET LOCAL statement_timeout = 0");
    await client.query("SET LOCAL work_mem = '256MB'");
    await client.query("SET LOCAL maintenance_work_mem = '512MB'");
    await client.query("SET LOCAL synchronous_commit = off");
    // generate_series over a column is estimated at 1000 rows a call, which makes the planner JIT-compile
    // every statement for seconds; the expressions are cheap, so compilation never pays for itself here.
    await client.query("SET LOCAL jit = off");
    // Memoize would cache the per-order basket subquery by its (always distinct) inputs: pure overhead.
    await client.query("SET LOCAL enable_memoize = off");
    const indexes = await takeDownIndexes(client, DEMO_TABLES);
    await client.query(`TRUNCATE ${DEMO_TABLES.join(", ")} RESTART IDENTITY`);
    step("truncate");

    await insertProducts(ctx, products.rows);
    await stageOrders(ctx, planDays({ scale: opts.scale, seed, anchorDay, asOfDayFraction: dayFraction }), coupons, salePrices);
    step("stage orders");
    await finalizeOrders(ctx, salePrices);
    step("write orders");
    await insertCoupons(ctx, coupons);
    await insertTeamChatsLooks(
      ctx,
      buildChats({ scale: opts.scale, seed, asOfMs: asOfEpoch * 1000 }),
      buildLooks({ seed, products: products.rows.length, asOfMs: asOfEpoch * 1000 }),
    );
    await insertFxAndMeta(ctx, buildFx({ seed, currency: opts.currency, firstDay: historyFrom, days }));
    await buildRollups(ctx, salePrices);
    step("rollups");
    for (const sql of indexes.inTransaction) await client.query(sql);
    await client.query("UPDATE demo_meta SET pending_indexes = $1, live_since = CASE WHEN $2 THEN as_of END", [
      indexes.deferred,
      opts.live === true,
    ]);
    await client.query("COMMIT");
    step("keys and commit");
    client.release();
    released = true;
    await rebuildDeferred(pool, indexes.deferred, DEMO_TABLES);
    step("indexes and analyze");

    const c = await pool.query<Record<string, number>>(`SELECT
      (SELECT count(*) FROM demo_orders) AS orders, (SELECT count(*) FROM demo_order_items) AS items,
      (SELECT count(*) FROM demo_products) AS products, (SELECT count(*) FROM demo_customers) AS customers,
      (SELECT count(*) FROM demo_payments) AS payments, (SELECT count(*) FROM demo_refunds) AS refunds,
      (SELECT count(*) FROM demo_coupons) AS coupons, (SELECT count(*) FROM demo_chat_threads) AS chats,
      (SELECT count(*) FROM demo_looks) AS looks, (SELECT count(*) FROM demo_fx_rates) AS fx_rates,
      (SELECT count(*) FROM demo_kpi_daily) AS kpi_days, (SELECT count(*) FROM demo_product_sales_daily) AS sales_rows`);
    const n = c.rows[0]!;
    return {
      orders: n.orders!,
      items: n.items!,
      products: n.products!,
      customers: n.customers!,
      payments: n.payments!,
      refunds: n.refunds!,
      coupons: n.coupons!,
      chats: n.chats!,
      looks: n.looks!,
      fxRates: n.fx_rates!,
      kpiDays: n.kpi_days!,
      productSalesRows: n.sales_rows!,
      anchorDay,
      asOf: ctx.asOf.toISOString(),
      ms: Math.round(performance.now() - started),
      steps,
    };
  } catch (err) {
    if (!released) await client.query("ROLLBACK").catch(() => undefined);
    throw err;
  } finally {
    if (!released) client.release();
  }
}
