import { addDays } from "../format/dates.ts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ToolContext } from "../contract.ts";
import { createDemoProvider } from "../tools/demo-provider.ts";
import { all, ANCHOR, one, seededShop, type TestShop } from "@ownerbot/testkit/test-shop";
import { buildDailyDigest, DIGEST_CHART_DAYS } from "./daily.ts";
import { DEFAULT_OPS_RULES, evaluateOpsRules, opsSnapshot, type OpsSnapshot } from "./ops-snapshot.ts";
import { buildWeeklyReport } from "./weekly.ts";
import { opsRulesOf } from "../notify/ops-alerts.ts";
import { NOTIFY_DEFAULTS } from "../notify/settings.ts";

// The digest builders against SQL written here from the definitions (docs/tools.md), on the
// generated demo shop. Audit events are the bot's own and run on the wall clock (ctx.now).

let s: TestShop;
const HOUR = 3_600_000;
beforeAll(async () => {
  s = await seededShop();
  const at = (h: number): Date => new Date(s.ctx.now.getTime() - h * HOUR);
  // Three error events inside 24 h, two outside, one non-error inside.
  for (const [type, h] of [
    ["tool_call_failed", 1],
    ["upstream_unavailable", 5],
    ["notify_error", 23],
    ["tool_call_failed", 25],
    ["action_failed", 48],
    ["tool_call", 2],
  ] as const) {
    await s.env.pool.query("INSERT INTO audit_events (event_type, occurred_at, payload) VALUES ($1, $2, $3)", [type, at(h), { code: "X" }]);
  }
});
afterAll(async () => {
  await s.env.close();
});

const n = (v: unknown): number => Number(v);

describe("opsSnapshot", () => {
  it("counts every part exactly, as the SQL definitions do", async () => {
    const snap = await opsSnapshot(s.ctx);
    const raw = await one<Record<string, number>>(
      s.env,
      `SELECT
        (SELECT count(*) FROM demo_chat_threads WHERE open AND last_customer_message_at <= $1::timestamptz - interval '2 hours'
           AND (last_manager_reply_at IS NULL OR last_manager_reply_at < last_customer_message_at))::int AS unanswered,
        (SELECT count(*) FROM demo_orders WHERE status = 'stuck' OR (payment_status = 'pending'
           AND created_at <= $1::timestamptz - interval '6 hours' AND status NOT IN ('cancelled', 'refunded', 'failed')))::int AS stuck,
        (SELECT count(*) FROM demo_orders WHERE created_at >= $1::timestamptz - interval '720 hours'
           AND (payment_status = 'failed' OR (payment_status = 'pending' AND created_at <= $1::timestamptz - interval '2 hours')))::int AS payment,
        (SELECT count(*) FROM demo_products WHERE published AND stock_qty <= 0)::int AS oos,
        (SELECT count(*) FROM demo_products WHERE published AND stock_qty BETWEEN 1 AND 5)::int AS low`,
      [s.asOf],
    );
    expect(raw.stuck).toBeGreaterThan(3);
    expect(snap.unanswered.count).toBe(raw.unanswered);
    expect(snap.stuck.count).toBe(raw.stuck);
    expect(snap.payment.count).toBe(raw.payment);
    expect(snap.outOfStock.count).toBe(raw.oos);
    expect(snap.lowStock.count).toBe(raw.low);
    // The window is applied: 3 error events in the last 24 h, not the 5 in the journal.
    expect(snap.errors.count).toBe(3);
    expect(snap.errors.top.map((e) => e.eventType)).toEqual(["tool_call_failed", "upstream_unavailable", "notify_error"]);
    // Counts are not capped at the three items listed.
    expect(snap.stuck.top).toHaveLength(3);
  });

  it("rules change what is counted", async () => {
    const snap = await opsSnapshot(s.ctx, { errorsWindowHours: 48, lowStockLte: 2, unansweredThresholdHours: 0 });
    const raw = await one<{ low: number; unanswered: number }>(
      s.env,
      `SELECT (SELECT count(*) FROM demo_products WHERE published AND stock_qty BETWEEN 1 AND 2)::int AS low,
              (SELECT count(*) FROM demo_chat_threads WHERE open AND last_customer_message_at <= $1
                 AND (last_manager_reply_at IS NULL OR last_manager_reply_at < last_customer_message_at))::int AS unanswered`,
      [s.asOf],
    );
    expect(snap.errors.count).toBe(5);
    expect(snap.lowStock.count).toBe(raw.low);
    expect(snap.unanswered.count).toBe(raw.unanswered);
  });

  it("the owner's stored presets choose which orders the stuck and payment rules count", async () => {
    const settings = { ...NOTIFY_DEFAULTS, owner_id: 1, updated_at: new Date(), updated_by: null };
    const rules = opsRulesOf({ ...settings, ops_stuck_orders_preset: "late_ship", ops_payment_issues_preset: "no-such-preset" });
    expect([rules.stuckPreset, rules.paymentPreset]).toEqual(["late_ship", "payment_issues"]);
    const snap = await opsSnapshot(s.ctx, rules);
    const late = await one<{ n: number }>(
      s.env,
      `SELECT count(*)::int AS n FROM demo_orders WHERE payment_status = 'paid' AND shipping_status IN ('none', 'pending')
         AND ship_due_at < $1 AND status NOT IN ('cancelled', 'refunded', 'failed')`,
      [s.asOf],
    );
    expect(late.n).toBeGreaterThan(0);
    expect(snap.stuck.count).toBe(late.n);
  });
});

describe("evaluateOpsRules", () => {
  const part = (count: number | null) => ({ count, capped: false, top: [] });
  const snap = (
    c: Partial<Record<"unanswered" | "stuck" | "payment" | "errors" | "outOfStock" | "lowStock", number | null>>,
  ): OpsSnapshot => ({
    now: "",
    today: ANCHOR,
    errorsUntil: "",
    rules: DEFAULT_OPS_RULES,
    unanswered: part(c.unanswered ?? 0),
    stuck: part(c.stuck ?? 0),
    payment: part(c.payment ?? 0),
    errors: part(c.errors ?? 0),
    outOfStock: part(c.outOfStock ?? 0),
    lowStock: part(c.lowStock ?? 0),
    sources: [],
  });

  it("fires at the reference's defaults: ≥ 1 of each, low stock ≥ 3", () => {
    expect(evaluateOpsRules(snap({}))).toEqual([]);
    expect(evaluateOpsRules(snap({ lowStock: 2 }))).toEqual([]);
    expect(evaluateOpsRules(snap({ lowStock: 3, stuck: 1 })).map((h) => h.rule)).toEqual(["stuck", "lowStock"]);
  });

  it("honours minimums and switches; an unread part never fires; zero never fires", () => {
    const s1 = snap({ unanswered: 4, errors: 2, outOfStock: null });
    expect(evaluateOpsRules(s1, { unansweredMinCount: 5, errorsEnabled: false }).map((h) => h.rule)).toEqual([]);
    expect(evaluateOpsRules(s1, { unansweredMinCount: 4 })).toEqual([
      { rule: "unanswered", count: 4, min: 4 },
      { rule: "errors", count: 2, min: 1 },
    ]);
    expect(evaluateOpsRules(snap({}), { stuckMinCount: 0 })).toEqual([]);
  });
});

describe("buildDailyDigest", () => {
  it("7-day net revenue and orders week over week (the last full days), ops counts and a 14-day chart", async () => {
    const d = await buildDailyDigest(s.ctx);
    // The demo's today is still going: the week is the seven full days before it.
    const w = await one<{ net: string; paid: string; pnet: string; ppaid: string }>(
      s.env,
      `SELECT sum(revenue_net) FILTER (WHERE day > $1::date - 7) AS net, sum(orders_paid) FILTER (WHERE day > $1::date - 7) AS paid,
              sum(revenue_net) FILTER (WHERE day <= $1::date - 7) AS pnet, sum(orders_paid) FILTER (WHERE day <= $1::date - 7) AS ppaid
       FROM demo_kpi_daily WHERE day > $1::date - 14 AND day <= $1::date`,
      [addDays(ANCHOR, -1)],
    );
    expect(d.facts.revenueNet7d).toBeCloseTo(n(w.net), 2);
    expect(d.facts.ordersPaid7d).toBe(n(w.paid));
    expect(d.facts.revenueWowPct).toBeCloseTo(((n(w.net) - n(w.pnet)) / n(w.pnet)) * 100, 1);
    expect(d.facts.ordersWowPct).toBeCloseTo(((n(w.paid) - n(w.ppaid)) / n(w.ppaid)) * 100, 1);
    expect(d.facts.aov).toBeCloseTo(n(w.net) / n(w.paid), 1);
    expect(d.facts.errorsCount).toBe(3);
    expect(d.facts.unavailable).toEqual([]);
    expect(d.facts.opsRulesFired.map((h) => h.rule)).toContain("stuck");

    const chart = d.doc.blocks.find((b) => b.kind === "chart");
    const days = await all<{ day: string; net: string }>(
      s.env,
      "SELECT day::text AS day, revenue_net AS net FROM demo_kpi_daily WHERE day > $1::date - $2::int AND day <= $1::date ORDER BY day",
      [addDays(ANCHOR, -1), DIGEST_CHART_DAYS],
    );
    // The chart ends at the last full day: no closing cliff for a day still going.
    expect(chart?.kind === "chart" && chart.chart.x).toEqual(days.map((r) => r.day));
    expect(chart?.kind === "chart" && chart.chart.series[0]?.values).toEqual(days.map((r) => n(r.net)));
    expect(d.doc.blocks.map((b) => b.kind)).toEqual(["kpis", "kpis", "chart", "heading", "list", "heading", "list"]);
    expect(d.doc.currency).toBe("RUB");
    // The owner's footer: the chart's period and the sources, no correlation id.
    expect(d.doc.footer).toBe("Период: 09.11–22.11.2026 · Данные: демо + журнал OwnerBot");

    expect(d.text.length).toBeLessThanOrEqual(4096);
    expect(d.text).toMatch(/^📰 Дайджест за 23\.11\.2026 \(пн\)/u);
    expect(d.text).toContain(`Ошибки за 24 ч: 3`);
    expect(d.text).toContain("Данные: демо");
  });

  it("a failing part becomes an 'unavailable' line, not a failure", async () => {
    const demo = createDemoProvider(s.env.db);
    const broken = {
      ...demo,
      fxRates: () => Promise.reject(new Error("fx feed down")),
      kpiDays: () => Promise.reject(new Error("kpi down")),
    };
    const ctx: ToolContext = { ...s.ctx, provider: broken };
    const d = await buildDailyDigest(ctx);
    expect(d.facts.unavailable).toEqual(["выручка и заказы", "график выручки", "курсы валют"]);
    expect(d.facts.revenueNet7d).toBeNull();
    expect(d.facts.fxWouldApply).toBeNull();
    expect(d.facts.stuckCount).not.toBeNull();
    expect(d.text).toContain("⚠️ Недоступно: курсы валют");
    expect(d.text.match(/Недоступно/gu)).toHaveLength(3);
    expect(d.doc.blocks.some((b) => b.kind === "chart")).toBe(false);
    expect(d.doc.blocks.at(-1)?.kind).toBe("warnings");
  });
});

describe("buildWeeklyReport", () => {
  it("week over week, a 30-day chart, stuck orders, chats, top products and errors", async () => {
    const r = await buildWeeklyReport(s.ctx);
    const kinds = r.doc.blocks.map((b) => b.kind);
    expect(kinds.filter((k) => k === "chart")).toHaveLength(1);
    expect(kinds).toContain("kpis");
    const chart = r.doc.blocks.find((b) => b.kind === "chart");
    expect(chart?.kind === "chart" && chart.chart.x.length).toBe(30);
    expect(chart?.kind === "chart" && chart.chart.series.map((x) => x.unit)).toEqual(["money", "count"]);

    const stuck = await all<{ order_id: string }>(
      s.env,
      `SELECT order_id FROM demo_orders WHERE status = 'stuck' OR (payment_status = 'pending' AND created_at <= $1::timestamptz - interval '6 hours'
         AND status NOT IN ('cancelled', 'refunded', 'failed')) ORDER BY created_at DESC, order_no DESC LIMIT 10`,
      [s.asOf],
    );
    const table = r.doc.blocks.find((b) => b.kind === "table" && b.columns[0] === "Заказ");
    expect(table?.kind === "table" && table.rows.map((row) => row[0])).toEqual(stuck.map((o) => o.order_id));

    const top = await one<{ product_id: string; title: string }>(
      s.env,
      `SELECT p.product_id, p.title FROM demo_product_sales_daily s JOIN demo_products p USING (product_id)
       WHERE s.day > $1::date - 7 AND s.day <= $1::date GROUP BY 1, 2 ORDER BY sum(s.revenue) DESC, 1 LIMIT 1`,
      [ANCHOR],
    );
    expect(r.text).toContain(`1. ${top.title}`);
    expect(r.text).toContain("🚨 Последние ошибки:");
    expect(r.text.length).toBeLessThanOrEqual(4096);
    expect(r.doc.title).toBe("Недельный отчёт: 16.11–22.11.2026");
    // Made at the wall clock, numbers as of the demo shop's clock; no ids in the owner's footer.
    expect(r.doc.generatedAt).toBe(s.ctx.now.toISOString());
    expect(r.doc.dataAsOf).toBe(s.asOf.toISOString());
    expect(r.doc.footer).not.toContain(s.ctx.correlationId);
    expect(r.text).toContain("Последний полный день, 22.11.2026:");
  });
});
