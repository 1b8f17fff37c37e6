// Read-tool latency on a big demo shop: every read tool N times with varied inputs, p50/p95 per tool,
// plus the same KPI/trend/top questions answered the naive way (aggregating raw orders) as a baseline.
//
//   node bench/tools-queries.ts                       # scratch DB, seeds BENCH_SCALE orders, drops it
//   BENCH_DATABASE_URL=postgres://…/db node bench/tools-queries.ts
//                                                     # reuses that DB; seeds it only if it has no demo shop
// Env: BENCH_SCALE (1000000), BENCH_N (60 runs per tool), BENCH_PG_ADMIN_URL (scratch server).
import type pg from "pg";
import { createDb, createPool, migrate } from "@ownerbot/core/db";
import type { ToolContext } from "@ownerbot/domain/contract";
import { seedDemo } from "@ownerbot/domain/demo";
import { addDays } from "@ownerbot/domain/format";
import { createRegistry, ownerTools, refreshReadRollups } from "@ownerbot/domain/tools";
import { percentile, scratchDb } from "./lib.ts";

const SCALE = Number(process.env.BENCH_SCALE ?? 1_000_000);
const N = Number(process.env.BENCH_N ?? 60);
const TZ = "Europe/Moscow";
const SHOP = { shopId: "bench", currency: "RUB", timeZone: TZ, locale: "ru-RU" };
const TARGET_P95_MS = 50;

async function database(): Promise<{ pool: pg.Pool; done: () => Promise<void> }> {
  const url = process.env.BENCH_DATABASE_URL;
  if (url) {
    const pool = createPool(url, 4);
    await migrate(pool);
    return { pool, done: () => pool.end() };
  }
  const s = await scratchDb("tools");
  return { pool: s.pool, done: s.drop };
}

async function ensureShop(pool: pg.Pool): Promise<{ scale: number; anchor: string }> {
  const meta = await pool.query<{ scale: number; anchor: string }>("SELECT scale, anchor_day::text AS anchor FROM demo_meta");
  if (meta.rows[0]) return meta.rows[0];
  const t0 = performance.now();
  const r = await seedDemo(pool, { scale: SCALE, seed: 42, timeZone: TZ, currency: "RUB", anchorDay: "2026-11-23" });
  console.log(`seeded ${r.orders} orders, ${r.items} items, ${r.products} products in ${Math.round((performance.now() - t0) / 1000)} s`);
  return { scale: SCALE, anchor: r.anchorDay };
}

/** Inputs per tool, cycled through the runs so caches of one exact query do not flatter the numbers. */
async function inputsFor(pool: pg.Pool, anchor: string): Promise<Record<string, Record<string, unknown>[]>> {
  const sample = await pool.query<{ order_id: string; order_no: number; customer_phone: string; customer_id: string }>(
    "SELECT order_id, order_no, customer_phone, customer_id FROM demo_orders TABLESAMPLE SYSTEM (1) LIMIT 20",
  );
  const orders = sample.rows;
  const days = Array.from({ length: 10 }, (_, i) => addDays(anchor, -i * 3));
  return {
    kpi_snapshot: days.map((day) => ({ day })),
    kpi_compare: [
      { preset: "wow" },
      { preset: "mom" },
      { preset: "wow", days: 14 },
      { preset: "custom", a_start: days[3], a_end: days[0], b_start: days[7], b_end: days[4] },
    ],
    revenue_trend: [7, 14, 30, 90, 365].map((d) => ({ days: d })),
    top_products: [
      { days: 7 },
      { days: 30, metric: "qty" },
      { days: 90, group_by: "category" },
      { days: 30, direction: "bottom" },
      { days: 365, limit: 30 },
    ],
    orders_search: [
      { preset: "stuck" },
      { preset: "late_ship" },
      { preset: "payment_issues" },
      { status: "paid" },
      { status: "refunded", offset: 40 },
      { flagged: true },
      {},
      ...orders.slice(0, 5).map((o) => ({ q: o.order_id })),
      ...orders.slice(5, 10).map((o) => ({ q: o.customer_phone })),
      ...orders.slice(10, 13).map((o) => ({ q: o.customer_phone.replace(/\D/g, "").slice(-4) })),
      { q: "Иванова" }, // a common surname: thousands of customers match
      ...orders.slice(13, 15).map((o) => ({ q: o.customer_id })),
    ],
    order_detail: orders.map((o, i) => ({ order_id: i % 2 ? o.order_id : String(o.order_no) })),
    inventory_status: [
      {},
      { section: "low_stock" },
      { section: "out_of_stock", limit: 50 },
      { section: "missing_photo" },
      { low_stock_lte: 20 },
    ],
    demand_forecast: [{}, { method: "ses" }, { history_days: 120, window_days: 30 }, { horizon_days: 30, limit: 50 }],
    reorder_plan: [{}, { method: "ses" }, { history_days: 90, lead_time_days: 30, limit: 100 }],
    funnel_snapshot: [{}, { days: 30 }, { days: 90 }],
    refunds_anomalies: [{}, { days: 90 }, { days: 60, metric: "count" }],
    chats_unanswered: [{}, { threshold_hours: 2 }, { threshold_hours: 24, limit: 50 }],
    team_queue_summary: [{}],
    coupons_status: [{}],
    coupons_top_used: [{}, { limit: 20 }],
    sys_audit_recent: [{}, { limit: 100 }],
    sys_last_errors: [{}, { limit: 100 }],
    retrospective_last: [{}],
    retro_summary: [{ period_days: 7 }, { period_days: 30 }],
    retro_gaps: [{ period_days: 30 }],
    retro_export: [{ period_days: 7 }],
    truststack_signals: [{}, { days: 7 }, { days: 90 }, { days: 120, limit: 20 }],
    biz_dashboard_daily: [{ format: "text" }, { format: "png" }, { format: "pdf" }],
    biz_dashboard_ops: [{}],
    ntf_daily_digest_subscribe: [{ time_local: "09:00" }, { time_local: "10:30" }],
    ntf_weekly_subscribe: [{}, { day_of_week: 4 }],
    ntf_digest_format_set: [{ format: "text" }, { format: "pdf" }],
    ntf_escalation_snooze: [{ hours: 12 }],
  };
}

type Row = { name: string; p50: number; p95: number; max: number; n: number };

async function measure(name: string, n: number, fn: (i: number) => Promise<unknown>): Promise<Row> {
  for (let i = 0; i < 3; i++) await fn(i); // warm the connection pool and the plan cache
  const ms: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await fn(i);
    ms.push(performance.now() - t);
  }
  ms.sort((a, b) => a - b);
  const r = (v: number): number => Math.round(v * 10) / 10;
  return { name, p50: r(percentile(ms, 50)), p95: r(percentile(ms, 95)), max: r(ms.at(-1) ?? NaN), n };
}

/** The same questions answered from raw demo_orders/demo_order_items, as a tool without rollups would. */
function naive(pool: pg.Pool, anchor: string): Record<string, (i: number) => Promise<unknown>> {
  const day = (i: number): string => addDays(anchor, -(i % 10) * 3);
  return {
    "kpi_snapshot (naive: raw orders)": (i) =>
      pool.query(
        `SELECT sum(amount), count(*) FROM demo_orders WHERE paid_at >= ($1::date::timestamp AT TIME ZONE $2) AND paid_at < (($1::date + 1)::timestamp AT TIME ZONE $2)`,
        [day(i), TZ],
      ),
    "revenue_trend 30d (naive: raw orders)": () =>
      pool.query(
        `SELECT (paid_at AT TIME ZONE $2)::date, sum(amount), count(*) FROM demo_orders
         WHERE paid_at >= (($1::date - 29)::timestamp AT TIME ZONE $2) AND paid_at < (($1::date + 1)::timestamp AT TIME ZONE $2) GROUP BY 1`,
        [anchor, TZ],
      ),
    "revenue_trend 365d (naive: raw orders)": () =>
      pool.query(
        `SELECT (paid_at AT TIME ZONE $2)::date, sum(amount), count(*) FROM demo_orders
         WHERE paid_at >= (($1::date - 364)::timestamp AT TIME ZONE $2) AND paid_at < (($1::date + 1)::timestamp AT TIME ZONE $2) GROUP BY 1`,
        [anchor, TZ],
      ),
    "top_products 30d (naive: raw items)": () =>
      pool.query(
        `SELECT i.product_id, sum(i.qty * i.unit_price) AS revenue FROM demo_order_items i JOIN demo_orders o ON o.order_id = i.order_id
         WHERE o.paid_at >= (($1::date - 29)::timestamp AT TIME ZONE $2) AND o.paid_at < (($1::date + 1)::timestamp AT TIME ZONE $2)
         GROUP BY 1 ORDER BY revenue DESC LIMIT 10`,
        [anchor, TZ],
      ),
  };
}

async function main(): Promise<void> {
  const { pool, done } = await database();
  try {
    const { scale, anchor } = await ensureShop(pool);
    const orders = (await pool.query<{ n: number }>("SELECT count(*)::int AS n FROM demo_orders")).rows[0]?.n ?? 0;
    console.log(`demo shop: scale ${scale}, ${orders} orders, today ${anchor}; ${N} runs per tool`);
    const db = createDb(pool);
    // One-time work after a seed, timed apart from the tools: autovacuum would set the visibility map
    // (index-only scans) within minutes, and the provider rebuilds the running totals on first use.
    let t = performance.now();
    await refreshReadRollups(db, { wait: true });
    console.log(`running sales totals rebuild (once per seed): ${Math.round(performance.now() - t)} ms`);
    t = performance.now();
    await pool.query(
      `VACUUM (ANALYZE) ${["demo_orders", "demo_order_items", "demo_product_sales_daily", "demo_product_sales_cum", "demo_refunds", "demo_customers"].join(", ")}`,
    );
    console.log(`vacuum analyze: ${Math.round(performance.now() - t)} ms`);
    // The owner's whole registry, as the intent worker builds it: reports, bot status, settings.
    const registry = createRegistry(ownerTools);
    const system = { configuredMode: "DEMO", effectiveMode: "DEMO", override: null, dbOk: true, redisOk: true, sisConfigured: false };
    const ctx: ToolContext = {
      db,
      shop: SHOP,
      now: new Date(),
      correlationId: "bench",
      actorId: 1001,
      system: { ...system, managerChats: 0, asr: "off", llm: "off" },
    };
    const inputs = await inputsFor(pool, anchor);
    const rows: Row[] = [];
    for (const t of registry.list()) {
      const list = inputs[t.name] ?? [{}];
      rows.push(
        await measure(t.name, N, async (i) => {
          const o = await registry.run(t.name, list[i % list.length], ctx);
          if (!o.ok && o.error.code !== "NOT_FOUND") throw new Error(`${t.name}: ${o.error.code} ${o.error.message}`);
          registry.present(o, ctx);
        }),
      );
    }
    const base: Row[] = [];
    for (const [name, fn] of Object.entries(naive(pool, anchor))) base.push(await measure(name, Math.max(5, Math.floor(N / 4)), fn));
    console.log("\n| tool | p50 ms | p95 ms | max ms | runs |\n|---|---:|---:|---:|---:|");
    for (const r of rows) console.log(`| ${r.name}${r.p95 > TARGET_P95_MS ? " ⚠" : ""} | ${r.p50} | ${r.p95} | ${r.max} | ${r.n} |`);
    console.log("\nBaseline, the naive way:\n\n| query | p50 ms | p95 ms | max ms | runs |\n|---|---:|---:|---:|---:|");
    for (const r of base) console.log(`| ${r.name} | ${r.p50} | ${r.p95} | ${r.max} | ${r.n} |`);
    const slow = rows.filter((r) => r.p95 > TARGET_P95_MS);
    console.log(
      slow.length === 0
        ? `\nall read tools p95 ≤ ${TARGET_P95_MS} ms`
        : `\nover ${TARGET_P95_MS} ms p95: ${slow.map((r) => r.name).join(", ")}`,
    );
  } finally {
    await done();
  }
}

await main();
