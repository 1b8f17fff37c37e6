import { sql } from "kysely";
import type { Db } from "@ownerbot/core/db";
import { localDay, type LocalDay } from "../format/dates.ts";
import { demandStats, inventoryCounts, inventoryList, refundBreakdown, salesRanking } from "./demo-catalog.ts";
import { cumulativeReady } from "./demo-rollups.ts";
import { auditCounts, auditRecent, chatQueue, coupons, fxRates, memoJobs, unansweredChats } from "./demo-ops.ts";
import { orderDetail, searchOrders } from "./demo-orders.ts";
import { riskSignals } from "./demo-risk.ts";
import type { FunnelDay, KpiDay, ShopClock, ShopProvider } from "./provider.ts";

/**
 * The demo shop's clock. The generated history ends at demo_meta.as_of on anchor_day, which are the
 * shop's "now" and "today" whatever the wall clock says, so demo answers do not drift and nothing
 * generated lies in the future. Without demo_meta (hand-made fixtures) the wall clock is used.
 */
export function demoClock(meta: { anchor: LocalDay; asOf: Date } | null, now: Date, timeZone: string): ShopClock {
  if (meta === null) return { today: localDay(now, timeZone), now, anchored: false };
  return { today: meta.anchor, now: meta.asOf, anchored: true };
}

export function createDemoProvider(db: Db): ShopProvider {
  return {
    kind: "demo",
    label: "демо",
    source: (name) => `demo:${name}`,

    async clock(now, timeZone) {
      const meta = await db
        .selectFrom("demo_meta")
        .select([sql<string>`anchor_day::text`.as("anchor"), "as_of"])
        .executeTakeFirst();
      return demoClock(meta ? { anchor: meta.anchor, asOf: meta.as_of } : null, now, timeZone);
    },

    async kpiDays(from, to) {
      const rows = await db
        .selectFrom("demo_kpi_daily")
        .select([
          sql<string>`day::text`.as("day"),
          "revenue_gross",
          "revenue_net",
          "orders_paid",
          "orders_created",
          "aov",
          "refunds_count",
          "refunds_amount",
        ])
        .where(sql<boolean>`day BETWEEN ${from}::date AND ${to}::date`)
        .orderBy("day")
        .execute();
      return rows.map((r): KpiDay => ({
        day: r.day,
        revenueGross: r.revenue_gross,
        revenueNet: r.revenue_net,
        ordersPaid: r.orders_paid,
        ordersCreated: r.orders_created,
        aov: r.aov,
        refundsCount: r.refunds_count,
        refundsAmount: r.refunds_amount,
      }));
    },

    async kpiBetween(start, end) {
      // The rollup's definitions over raw rows: gross by paid_at, created by created_at, refunds by their own time.
      const { rows } = await sql<{ gross: number; paid: number; created: number; refunds: number; refunds_n: number }>`
        SELECT (SELECT coalesce(sum(amount), 0)::float8 FROM demo_orders WHERE paid_at >= ${start} AND paid_at < ${end}) AS gross,
               (SELECT count(*)::int FROM demo_orders WHERE paid_at >= ${start} AND paid_at < ${end}) AS paid,
               (SELECT count(*)::int FROM demo_orders WHERE created_at >= ${start} AND created_at < ${end}) AS created,
               (SELECT coalesce(sum(amount), 0)::float8 FROM demo_refunds WHERE created_at >= ${start} AND created_at < ${end}) AS refunds,
               (SELECT count(*)::int FROM demo_refunds WHERE created_at >= ${start} AND created_at < ${end}) AS refunds_n`.execute(db);
      const r = rows[0] ?? { gross: 0, paid: 0, created: 0, refunds: 0, refunds_n: 0 };
      const net = Math.round((r.gross - r.refunds) * 100) / 100;
      return {
        revenueGross: r.gross,
        revenueNet: net,
        ordersPaid: r.paid,
        ordersCreated: r.created,
        aov: Math.round((net / Math.max(r.paid, 1)) * 100) / 100,
        refundsCount: r.refunds_n,
        refundsAmount: r.refunds,
      };
    },

    async latestKpiDay(onOrBefore) {
      const r = await db
        .selectFrom("demo_kpi_daily")
        .select(sql<string>`max(day)::text`.as("day"))
        .where(sql<boolean>`day <= ${onOrBefore}::date`)
        .executeTakeFirst();
      return r?.day ?? null;
    },

    async funnelDays(from, to) {
      const rows = await db
        .selectFrom("demo_funnel_daily")
        .select([
          sql<string>`day::text`.as("day"),
          "visits",
          "product_views",
          "add_to_cart",
          "checkout_started",
          "orders_created",
          "orders_paid",
        ])
        .where(sql<boolean>`day BETWEEN ${from}::date AND ${to}::date`)
        .orderBy("day")
        .execute();
      return rows.map((r): FunnelDay => ({
        day: r.day,
        visits: r.visits,
        productViews: r.product_views,
        addToCart: r.add_to_cart,
        checkoutStarted: r.checkout_started,
        ordersCreated: r.orders_created,
        ordersPaid: r.orders_paid,
      }));
    },

    searchOrders: (f, cap) => searchOrders(db, f, cap),
    orderDetail: (no) => orderDetail(db, no),
    salesRanking: (q) => salesRanking(db, q, () => cumulativeReady(db)),
    demandStats: (q) => demandStats(db, q, () => cumulativeReady(db)),
    inventoryCounts: (lte) => inventoryCounts(db, lte),
    inventoryList: (s, lte, limit, offset) => inventoryList(db, s, lte, limit, offset),
    refundBreakdown: (q) => refundBreakdown(db, q, () => cumulativeReady(db)),
    unansweredChats: (q) => unansweredChats(db, q),
    chatQueue: (q) => chatQueue(db, q),
    coupons: () => coupons(db),
    async team() {
      const rows = await db.selectFrom("demo_team").select(["member_id", "name", "role"]).orderBy("member_id").execute();
      return rows.map((r) => ({ memberId: r.member_id, name: r.name, role: r.role }));
    },
    fxRates: (d) => fxRates(db, d),
    auditRecent: (q) => auditRecent(db, q),
    auditCounts: (q) => auditCounts(db, q),
    memoJobs: (q) => memoJobs(db, q),
    riskSignals: (q) => riskSignals(db, q),
  };
}
