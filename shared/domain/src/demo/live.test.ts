import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestEnv, type TestEnv } from "@ownerbot/testkit/harness";
import { advanceDemo } from "./live.ts";
import { DEMO_TABLES, seedDemo, type SeedOptions } from "./seed.ts";

// The live demo shop: time passes, the shop fills with plausible rows, its rollups stay exact and
// its open problems stay open; the same seed gives the same rows however often the runner ticks.

const TZ = "Europe/Moscow";
const AS_OF = new Date("2026-11-23T07:00:00Z"); // 10:00 in Moscow
const H = 3_600_000;
const OPTS: SeedOptions = { scale: 2000, seed: 7, asOf: AS_OF, timeZone: TZ, currency: "RUB", live: true };

async function checksums(pool: pg.Pool): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const table of DEMO_TABLES) {
    const rows = table === "demo_meta" ? "(SELECT anchor_day, as_of, live_since, changed_at FROM demo_meta)" : table;
    const { rows: r } = await pool.query<{ sum: string | null; n: number }>(
      `SELECT md5(string_agg(t::text, E'\\n' ORDER BY t::text)) AS sum, count(*)::int AS n FROM ${rows} t`,
    );
    out[table] = `${r[0]!.n}:${r[0]!.sum}`;
  }
  return out;
}

const one = async <T>(pool: pg.Pool, sql: string, params: unknown[] = []): Promise<T> => (await pool.query(sql, params)).rows[0] as T;

let a: TestEnv;
let b: TestEnv;
beforeAll(async () => {
  [a, b] = await Promise.all([createTestEnv(), createTestEnv()]);
  await Promise.all([seedDemo(a.pool, OPTS), seedDemo(b.pool, OPTS)]);
});
afterAll(async () => Promise.all([a.close(), b.close()]));

describe("the live demo shop", () => {
  const before = { orders: 0, stuck: [] as string[], late: [] as string[], waiting: [] as string[] };

  it("a day and a half later has new orders that were paid, shipped and delivered, and new messages", async () => {
    before.orders = (await one<{ n: number }>(a.pool, "SELECT count(*)::int AS n FROM demo_orders")).n;
    const ids = async (sql: string): Promise<string[]> => (await a.pool.query<{ id: string }>(sql, [AS_OF])).rows.map((r) => r.id);
    before.stuck = await ids(
      "SELECT order_id AS id FROM demo_orders WHERE payment_status = 'pending' AND created_at < $1::timestamptz - interval '6 hours' ORDER BY 1",
    );
    before.late = await ids("SELECT order_id AS id FROM demo_orders WHERE shipping_status = 'pending' AND ship_due_at < $1 ORDER BY 1");
    before.waiting = await ids(
      `SELECT thread_id AS id FROM demo_chat_threads WHERE open AND last_customer_message_at < $1
         AND (last_manager_reply_at IS NULL OR last_manager_reply_at < last_customer_message_at) ORDER BY 1`,
    );
    expect(before.stuck.length + before.late.length + before.waiting.length).toBeGreaterThan(5);

    const r = await advanceDemo(a.pool, new Date(AS_OF.getTime() + 36 * H));
    expect(r).toMatchObject({ advanced: true });
    if (!r.advanced) return;
    expect(r.orders).toBeGreaterThan(5);
    expect(r.settled).toBeGreaterThan(0);
    expect(r.shipped).toBeGreaterThan(0);
    expect(r.delivered).toBeGreaterThan(0);
    expect(r.messages).toBeGreaterThan(0);
    const meta = await one<{ anchor: string; as_of: Date }>(a.pool, "SELECT anchor_day::text AS anchor, as_of FROM demo_meta");
    expect(meta).toEqual({ anchor: "2026-11-24", as_of: new Date(AS_OF.getTime() + 36 * H) });
    const newest = await one<{ n: number; paid: number; max: Date }>(
      a.pool,
      "SELECT count(*)::int AS n, count(paid_at)::int AS paid, max(created_at) AS max FROM demo_orders WHERE created_at > $1",
      [AS_OF],
    );
    expect(newest.n).toBe(r.orders);
    expect(newest.paid).toBeGreaterThan(0);
    expect(newest.max.getTime()).toBeLessThanOrEqual(AS_OF.getTime() + 36 * H);
  });

  it("keeps the rollups exact for the days it touched, and adds the new day's rates", async () => {
    for (const day of ["2026-11-22", "2026-11-23", "2026-11-24"]) {
      const raw = await one<{ gross: number; paid: number; created: number; refunds: number }>(
        a.pool,
        `SELECT (SELECT coalesce(sum(amount), 0)::float8 FROM demo_orders WHERE (paid_at AT TIME ZONE $2)::date = $1) AS gross,
                (SELECT count(*)::int FROM demo_orders WHERE (paid_at AT TIME ZONE $2)::date = $1) AS paid,
                (SELECT count(*)::int FROM demo_orders WHERE (created_at AT TIME ZONE $2)::date = $1) AS created,
                (SELECT coalesce(sum(amount), 0)::float8 FROM demo_refunds WHERE (created_at AT TIME ZONE $2)::date = $1) AS refunds`,
        [day, TZ],
      );
      const kpi = await one<{ gross: number; paid: number; created: number; net: number }>(
        a.pool,
        "SELECT revenue_gross::float8 AS gross, orders_paid AS paid, orders_created AS created, revenue_net::float8 AS net FROM demo_kpi_daily WHERE day = $1",
        [day],
      );
      expect(kpi, day).toEqual({ gross: raw.gross, paid: raw.paid, created: raw.created, net: raw.gross - raw.refunds });
      const sales = await one<{ mismatched: number }>(
        a.pool,
        `SELECT count(*)::int AS mismatched FROM (
           SELECT i.product_id, sum(i.qty) AS qty, sum(i.qty * i.unit_price) AS revenue
           FROM demo_orders o JOIN demo_order_items i USING (order_id) WHERE (o.paid_at AT TIME ZONE $2)::date = $1 GROUP BY 1) r
         FULL JOIN (SELECT product_id, qty, revenue FROM demo_product_sales_daily WHERE day = $1) s USING (product_id)
         WHERE r.qty IS DISTINCT FROM s.qty OR r.revenue IS DISTINCT FROM s.revenue`,
        [day, TZ],
      );
      expect(sales.mismatched, day).toBe(0);
    }
    const funnel = await one<{ bad: number }>(
      a.pool,
      `SELECT count(*)::int AS bad FROM demo_funnel_daily WHERE day >= '2026-11-22'
         AND NOT (visits >= product_views AND product_views >= add_to_cart AND add_to_cart >= checkout_started
                  AND checkout_started >= orders_created AND orders_created >= orders_paid)`,
    );
    expect(funnel.bad).toBe(0);
    const fx = await one<{ n: number }>(a.pool, "SELECT count(*)::int AS n FROM demo_fx_rates WHERE day = '2026-11-24'");
    expect(fx.n).toBe(3);
  });

  it("leaves the problems it went live with for the owner: stuck payments, late parcels, waiting customers", async () => {
    const still = async (sql: string, list: string[]): Promise<number> => (await one<{ n: number }>(a.pool, sql, [list])).n;
    expect(
      await still("SELECT count(*)::int AS n FROM demo_orders WHERE order_id = ANY($1) AND payment_status = 'pending'", before.stuck),
    ).toBe(before.stuck.length);
    expect(
      await still("SELECT count(*)::int AS n FROM demo_orders WHERE order_id = ANY($1) AND shipping_status = 'pending'", before.late),
    ).toBe(before.late.length);
    expect(
      await still(
        `SELECT count(*)::int AS n FROM demo_chat_threads WHERE thread_id = ANY($1)
           AND (last_manager_reply_at IS NULL OR last_manager_reply_at < last_customer_message_at)`,
        before.waiting,
      ),
    ).toBe(before.waiting.length);
  });

  it("gives the same rows when the runner ticks every 40 minutes instead of once", async () => {
    for (let t = AS_OF.getTime() + 40 * 60_000; t < AS_OF.getTime() + 36 * H; t += 40 * 60_000) await advanceDemo(b.pool, new Date(t));
    await advanceDemo(b.pool, new Date(AS_OF.getTime() + 36 * H));
    expect(await checksums(b.pool)).toEqual(await checksums(a.pool));
  });

  it("does nothing when up to date, and never moves a shop seeded for a fixed moment", async () => {
    expect(await advanceDemo(a.pool, new Date(AS_OF.getTime() + 36 * H))).toEqual({ advanced: false, reason: "up_to_date" });
    await seedDemo(b.pool, { ...OPTS, live: false });
    expect(await advanceDemo(b.pool, new Date(AS_OF.getTime() + 48 * H))).toEqual({ advanced: false, reason: "not_live" });
  });
});
