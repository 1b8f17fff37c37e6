// The live demo shop: `advanceDemo` moves a shop seeded "now" forward to the present. Everything
// that would have happened in the shop since its last run happens, in order and in one
// transaction: new orders (live-orders.ts), payments, shipping, deliveries, refunds and managers'
// answers (live-lifecycle.ts), customers' messages and each new day's exchange rates
// (live-chats.ts); then the daily rollups of the touched days are rebuilt by the seed's own
// definitions (rollups.ts) and demo_meta's clock moves. Deterministic from the seed: the same
// seed, go-live moment and present give the same rows whether the runner ticked every minute or
// caught up once. A shop seeded for a fixed moment (live_since NULL) never moves.

import type pg from "pg";
import { addDays, localDay } from "../format/dates.ts";
import { fxForNewDays, customerMessages } from "./live-chats.ts";
import { advanceLifecycle, type LifecycleCounts } from "./live-lifecycle.ts";
import { drawOrders, insertOrders, loadOrderBook, type LiveShop } from "./live-orders.ts";
import { funnelRollupSql, kpiRollupSql, productSalesRollupSql } from "./rollups.ts";

/** A runner down longer than this catches up only the last stretch (the rest stays a quiet gap). */
export const MAX_CATCH_UP_MS = 7 * 86_400_000;
/** Runs are cut into steps of at most this, so one transaction never grows without bound. */
const STEP_MS = 6 * 3_600_000;

export type AdvanceResult =
  | { advanced: false; reason: "not_live" | "no_shop" | "up_to_date" }
  | ({ advanced: true; from: string; to: string; orders: number; messages: number } & LifecycleCounts);

type Meta = {
  seed: number;
  scale: number;
  time_zone: string;
  currency: string;
  as_of: Date;
  live_since: Date | null;
  history_from: string;
};

/** The shop's recent daily volume: orders created per day over the 28 days before it went live. */
async function dailyOrders(c: pg.PoolClient, m: Meta & { live_since: Date }): Promise<number> {
  const day = localDay(m.live_since, m.time_zone);
  const { rows } = await c.query<{ n: number }>(
    "SELECT coalesce(avg(orders_created), 0)::float8 AS n FROM demo_kpi_daily WHERE day >= $1::date - 28 AND day < $1::date",
    [day],
  );
  return rows[0]?.n ?? 0;
}

async function rebuildDays(c: pg.PoolClient, m: Meta, from: string, to: string): Promise<void> {
  // An order created before midnight and paid after it moves the funnel cohort of the day before.
  const funnelFrom = addDays(from, -1) < m.history_from ? from : addDays(from, -1);
  await c.query("DELETE FROM demo_kpi_daily WHERE day BETWEEN $1 AND $2", [from, to]);
  await c.query(kpiRollupSql(m.time_zone, from, to));
  await c.query("DELETE FROM demo_product_sales_daily WHERE day BETWEEN $1 AND $2", [from, to]);
  await c.query(productSalesRollupSql(m.time_zone, from, to));
  await c.query("DELETE FROM demo_funnel_daily WHERE day BETWEEN $1 AND $2", [funnelFrom, to]);
  await c.query(funnelRollupSql(m.seed, m.time_zone, funnelFrom, to));
}

/** One step (from, to] inside the caller's transaction. */
async function step(c: pg.PoolClient, m: Meta & { live_since: Date }, shop: LiveShop, from: Date, to: Date) {
  const orders = drawOrders(shop, await loadOrderBook(c, shop), from, to);
  await insertOrders(c, shop, orders);
  const messages = await customerMessages(c, shop, from, to);
  const events = await advanceLifecycle(c, { from, to, liveSince: m.live_since, seed: m.seed });
  const fromDay = localDay(from, m.time_zone);
  const toDay = localDay(to, m.time_zone);
  await fxForNewDays(c, shop, m.history_from, toDay);
  await rebuildDays(c, m, fromDay, toDay);
  await c.query("UPDATE demo_meta SET as_of = $1, anchor_day = $2, changed_at = $1", [to, toDay]);
  return { orders: orders.length, messages, ...events };
}

/**
 * Brings a live demo shop up to `now` (whole seconds). Safe to call from several processes: the
 * demo_meta row is locked for the run, and a run that finds the shop up to date does nothing.
 */
export async function advanceDemo(pool: pg.Pool, now: Date): Promise<AdvanceResult> {
  const c = await pool.connect();
  try {
    await c.query("BEGIN");
    await c.query("SET LOCAL statement_timeout = '60s'");
    const { rows } = await c.query<Meta>(
      `SELECT seed, scale, time_zone, currency, as_of, live_since, history_from::text AS history_from
       FROM demo_meta WHERE id = 1 FOR UPDATE`,
    );
    const m = rows[0];
    const result = await (async (): Promise<AdvanceResult> => {
      if (!m) return { advanced: false, reason: "no_shop" };
      if (m.live_since === null) return { advanced: false, reason: "not_live" };
      const to = new Date(Math.floor(now.getTime() / 1000) * 1000);
      if (to.getTime() <= m.as_of.getTime()) return { advanced: false, reason: "up_to_date" };
      const live = { ...m, live_since: m.live_since };
      const shop: LiveShop = {
        seed: m.seed,
        scale: m.scale,
        timeZone: m.time_zone,
        currency: m.currency,
        liveSince: m.live_since,
        dailyOrders: await dailyOrders(c, live),
      };
      let from = new Date(Math.max(m.as_of.getTime(), to.getTime() - MAX_CATCH_UP_MS));
      const start = from;
      const sum = { orders: 0, messages: 0, settled: 0, shipped: 0, delivered: 0, refunded: 0, answered: 0 };
      while (from < to) {
        const end = new Date(Math.min(to.getTime(), from.getTime() + STEP_MS));
        const r = await step(c, live, shop, from, end);
        for (const k of Object.keys(sum) as (keyof typeof sum)[]) sum[k] += r[k];
        from = end;
      }
      return { advanced: true, from: start.toISOString(), to: to.toISOString(), ...sum };
    })();
    await c.query("COMMIT");
    return result;
  } catch (err) {
    await c.query("ROLLBACK").catch(() => undefined);
    throw err;
  } finally {
    c.release();
  }
}
