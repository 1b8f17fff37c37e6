import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { InventoryData } from "./results/inventory.ts";
import type { ChatsUnansweredData, CouponsStatusData, CouponsTopUsedData, TeamQueueData } from "./results/ops.ts";
import type { OrderDetailData, OrdersSearchData } from "./results/orders.ts";
import { presentTool, runTool } from "./index.ts";
import { all, ok, one, seededShop, type TestShop } from "@ownerbot/testkit/test-shop";

// Orders, catalogue, chats and coupons against SQL written here from the definitions in docs/tools.md.

let s: TestShop;
beforeAll(async () => {
  s = await seededShop();
});
afterAll(async () => {
  await s.env.close();
});

const ids = (rows: { order_id: string }[]): string[] => rows.map((r) => r.order_id);

describe("orders_search", () => {
  it("stuck: status stuck, or payment pending for 6 h and more on an open order", async () => {
    const raw = await all<{ order_id: string }>(
      s.env,
      `SELECT order_id FROM demo_orders
       WHERE status = 'stuck' OR (payment_status = 'pending' AND created_at <= $1::timestamptz - interval '6 hours'
                                  AND status NOT IN ('cancelled', 'refunded', 'failed'))
       ORDER BY created_at DESC, order_no DESC`,
      [s.asOf],
    );
    expect(raw.length).toBeGreaterThanOrEqual(3);
    const { data } = await ok<OrdersSearchData>("orders_search", { preset: "stuck", limit: 200 }, s.ctx);
    expect(data.count).toBe(raw.length);
    expect(data.items.map((o) => o.orderId)).toEqual(ids(raw).slice(0, 200));
  });

  it("late_ship and payment_issues", async () => {
    const late = await all<{ order_id: string }>(
      s.env,
      `SELECT order_id FROM demo_orders WHERE payment_status = 'paid' AND shipping_status IN ('none', 'pending')
         AND ship_due_at < $1 AND status NOT IN ('cancelled', 'refunded', 'failed') ORDER BY created_at DESC, order_no DESC`,
      [s.asOf],
    );
    expect(late.length).toBeGreaterThanOrEqual(4);
    const r1 = await ok<OrdersSearchData>("orders_search", { preset: "late_ship", limit: 50 }, s.ctx);
    expect(r1.data.items.map((o) => o.orderId)).toEqual(ids(late).slice(0, 50));

    const pay = await all<{ order_id: string }>(
      s.env,
      `SELECT order_id FROM demo_orders WHERE created_at >= $1::timestamptz - interval '720 hours'
         AND (payment_status = 'failed' OR (payment_status = 'pending' AND created_at <= $1::timestamptz - interval '3 hours'))
       ORDER BY created_at DESC, order_no DESC`,
      [s.asOf],
    );
    const r2 = await ok<OrdersSearchData>("orders_search", { preset: "payment_issues", since_hours: "3", limit: 200 }, s.ctx);
    expect(r2.data.count).toBe(pay.length);
    expect(r2.data.items.map((o) => o.orderId)).toEqual(ids(pay).slice(0, 200));
  });

  it("lists the orders created on a shop-local day («заказы вчера»), with the day in the title", async () => {
    const raw = await all<{ order_id: string }>(
      s.env,
      `SELECT order_id FROM demo_orders WHERE (created_at AT TIME ZONE 'Europe/Moscow')::date = date '2026-11-22'
       ORDER BY created_at DESC, order_no DESC`,
    );
    expect(raw.length).toBeGreaterThan(0);
    const { data, outcome } = await ok<OrdersSearchData>(
      "orders_search",
      { from_day: "2026-11-22", to_day: "2026-11-22", limit: 200 },
      s.ctx,
    );
    expect(data.count).toBe(raw.length);
    expect(data.items.map((o) => o.orderId)).toEqual(ids(raw));
    expect(outcome.ok && outcome.result.provenance.window).toMatchObject({ from: "2026-11-22", to: "2026-11-22" });
    expect(presentTool(outcome, s.ctx)[0]!.text).toMatch(/^🧾 Заказы за 22\.11\.2026/);
  });

  it("finds by order number, phone digits and status; pages by offset", async () => {
    const o = await one<{ order_id: string; order_no: number; customer_phone: string }>(
      s.env,
      "SELECT order_id, order_no, customer_phone FROM demo_orders ORDER BY order_no DESC OFFSET 10 LIMIT 1",
    );
    const byNo = await ok<OrdersSearchData>("orders_search", { q: o.order_id }, s.ctx);
    expect(byNo.data.items[0]?.orderId).toBe(o.order_id);

    const digits = o.customer_phone.replace(/\D/g, "").slice(-10);
    const samePhone = await all<{ order_id: string }>(
      s.env,
      "SELECT order_id FROM demo_orders WHERE right(regexp_replace(customer_phone, '\\D', '', 'g'), 10) = $1 ORDER BY created_at DESC, order_no DESC",
      [digits],
    );
    const byPhone = await ok<OrdersSearchData>("orders_search", { q: o.customer_phone, limit: 50 }, s.ctx);
    expect(byPhone.data.items.map((x) => x.orderId)).toEqual(ids(samePhone));

    // A phone stored with formatting is found by its digits too (the search strips non-digits).
    await s.env.pool.query(
      `UPDATE demo_customers SET phone = '+7 (999) 555-12-34' WHERE customer_id = (SELECT customer_id FROM demo_orders WHERE order_id = $1)`,
      [o.order_id],
    );
    const formatted = await ok<OrdersSearchData>("orders_search", { q: "555-12-34", limit: 50 }, s.ctx);
    expect(formatted.data.items.map((x) => x.orderId)).toContain(o.order_id);

    const surname =
      (await one<{ name: string }>(s.env, "SELECT name FROM demo_customers ORDER BY customer_id LIMIT 1")).name.split(" ")[1] ?? "";
    const byName = await all<{ order_id: string }>(
      s.env,
      `SELECT o.order_id FROM demo_orders o JOIN demo_customers c ON c.customer_id = o.customer_id
       WHERE c.name ILIKE '%' || $1 || '%' OR c.email ILIKE '%' || $1 || '%' ORDER BY o.created_at DESC, o.order_no DESC`,
      [surname],
    );
    const named = await ok<OrdersSearchData>("orders_search", { q: surname, limit: 30 }, s.ctx);
    expect(surname.length).toBeGreaterThan(2);
    expect(named.data.count).toBe(Math.min(byName.length, 1000));
    expect(named.data.items.map((x) => x.orderId)).toEqual(ids(byName).slice(0, 30));

    const paid = await one<{ n: number }>(s.env, "SELECT count(*)::int AS n FROM demo_orders WHERE status = 'paid'");
    const p1 = await ok<OrdersSearchData>("orders_search", { status: "paid", limit: 5 }, s.ctx);
    const p2 = await ok<OrdersSearchData>("orders_search", { status: "PAID", limit: 5, offset: 5 }, s.ctx);
    expect(p1.data.count).toBe(Math.min(paid.n, 1000));
    expect(p1.data.countCapped).toBe(paid.n > 1000);
    const first10 = await all<{ order_id: string }>(
      s.env,
      "SELECT order_id FROM demo_orders WHERE status = 'paid' ORDER BY created_at DESC, order_no DESC LIMIT 10",
    );
    expect([...p1.data.items, ...p2.data.items].map((x) => x.orderId)).toEqual(ids(first10));
  });
});

describe("order_detail", () => {
  it("accepts OB-1234 and 1234 alike and returns items, payments and refunds", async () => {
    const o = await one<{ order_id: string; order_no: number; amount: number }>(
      s.env,
      "SELECT o.order_id, o.order_no, o.amount FROM demo_orders o JOIN demo_refunds r ON r.order_id = o.order_id LIMIT 1",
    );
    const a = await ok<OrderDetailData>("order_detail", { order_id: o.order_id }, s.ctx);
    const b = await ok<OrderDetailData>("order_detail", { order_id: String(o.order_no) }, s.ctx);
    expect(b.data.orderId).toBe(o.order_id);
    expect(a.data.amount).toBeCloseTo(o.amount, 2);
    const items = await one<{ n: number }>(s.env, "SELECT count(*)::int AS n FROM demo_order_items WHERE order_id = $1", [o.order_id]);
    expect(a.data.items).toHaveLength(items.n);
    expect(a.data.refunds.length).toBeGreaterThan(0);
  });

  it("says NOT_FOUND for an unknown order and names the parameter for garbage", async () => {
    const nf = await runTool("order_detail", { order_id: "OB-999999999" }, s.ctx);
    expect(nf.ok || nf.error.code).toBe("NOT_FOUND");
    const bad = await runTool("order_detail", { order_id: "вчерашний" }, s.ctx);
    expect(!bad.ok && bad.error.message).toContain("Параметр order_id");
  });
});

describe("inventory_status", () => {
  it("counts every bucket as §7 defines it and lists a section", async () => {
    const raw = await one<Record<string, number>>(
      s.env,
      `SELECT count(*) FILTER (WHERE published AND stock_qty <= 0)::int AS out_of_stock,
              count(*) FILTER (WHERE published AND stock_qty BETWEEN 1 AND 3)::int AS low_stock,
              count(*) FILTER (WHERE published AND NOT has_photo)::int AS missing_photo,
              count(*) FILTER (WHERE published AND price <= 0)::int AS missing_price,
              count(*) FILTER (WHERE published AND NOT has_video)::int AS missing_video,
              count(*) FILTER (WHERE return_flagged)::int AS return_flags,
              count(*) FILTER (WHERE NOT published)::int AS unpublished
       FROM demo_products`,
    );
    const { data } = await ok<InventoryData>("inventory_status", { low_stock_lte: 3 }, s.ctx);
    expect(data.counts).toEqual(raw);
    expect(Object.values(raw).some((n) => n > 0)).toBe(true);
    const low = await ok<InventoryData>("inventory_status", { section: "low_stock", low_stock_lte: 3, limit: 50 }, s.ctx);
    expect(low.data.lists.low_stock).toHaveLength(Math.min(50, raw.low_stock ?? 0));
    expect(low.data.lists.low_stock?.every((p) => p.stockQty >= 1 && p.stockQty <= 3 && p.published)).toBe(true);
  });
});

describe("chats and team queue", () => {
  it("unanswered: open, waiting longer than the threshold, no reply since", async () => {
    const raw = await all<{ thread_id: string }>(
      s.env,
      `SELECT thread_id FROM demo_chat_threads WHERE open AND last_customer_message_at <= $1::timestamptz - interval '2 hours'
         AND (last_manager_reply_at IS NULL OR last_manager_reply_at < last_customer_message_at)
       ORDER BY last_customer_message_at DESC, thread_id`,
      [s.asOf],
    );
    expect(raw.length).toBeGreaterThan(0);
    const { data } = await ok<ChatsUnansweredData>("chats_unanswered", { threshold_hours: 2, limit: 50 }, s.ctx);
    expect(data.count).toBe(raw.length);
    expect(data.threads.map((t) => t.threadId)).toEqual(raw.map((r) => r.thread_id).slice(0, 50));
  });

  it("queue: totals by waiting time and assignee", async () => {
    const q = (h: number) =>
      one<{ n: number }>(
        s.env,
        `SELECT count(*)::int AS n FROM demo_chat_threads WHERE open AND last_customer_message_at <= $1::timestamptz - make_interval(hours => $2)
           AND (last_manager_reply_at IS NULL OR last_manager_reply_at < last_customer_message_at)`,
        [s.asOf, h],
      );
    const { data } = await ok<TeamQueueData>("team_queue_summary", {}, s.ctx);
    expect([data.total, data.over2h, data.over6h, data.over24h]).toEqual([(await q(0)).n, (await q(2)).n, (await q(6)).n, (await q(24)).n]);
    expect(data.byAssignee.reduce((t, a) => t + a.count, 0)).toBe(data.total);
    expect(data.topOverdue.length).toBe(Math.min(5, data.total));
    expect(data.recommendation).toMatch(data.over24h > 0 ? /больше суток/ : /./);
  });
});

describe("coupons", () => {
  it("status counts coupons usable at the demo's now", async () => {
    const raw = await one<{ active: number; soon: number }>(
      s.env,
      `SELECT count(*) FILTER (WHERE usable)::int AS active,
              count(*) FILTER (WHERE usable AND ends_at <= $1::timestamptz + interval '7 days')::int AS soon
       FROM (SELECT *, active AND (ends_at IS NULL OR ends_at > $1) AND (max_uses IS NULL OR used_count < max_uses)
                       AND (starts_at IS NULL OR starts_at <= $1) AS usable FROM demo_coupons) c`,
      [s.asOf],
    );
    const { data } = await ok<CouponsStatusData>("coupons_status", {}, s.ctx);
    expect(data.totalActive).toBe(raw.active);
    expect(data.expiringSoon).toHaveLength(raw.soon);
  });

  it("top used ranks by used_count", async () => {
    const raw = await all<{ code: string; used_count: number }>(
      s.env,
      "SELECT code, used_count FROM demo_coupons ORDER BY used_count DESC, code LIMIT 3",
    );
    const { data } = await ok<CouponsTopUsedData>("coupons_top_used", { limit: 3 }, s.ctx);
    expect(data.rows.map((r) => [r.code, r.usedCount])).toEqual(raw.map((r) => [r.code, r.used_count]));
  });

  it("the status and the top agree on usage: the same five, a disabled coupon marked as such", async () => {
    const status = await ok<CouponsStatusData>("coupons_status", {}, s.ctx);
    const top = await ok<CouponsTopUsedData>("coupons_top_used", { limit: 5 }, s.ctx);
    expect(status.data.topUsed.map((c) => c.code)).toEqual(top.data.rows.map((c) => c.code));
    // SPRING15 is used up and switched off in every demo shop; it ranks among the used by its count.
    const raw = await all<{ code: string }>(s.env, "SELECT code FROM demo_coupons ORDER BY used_count DESC, code LIMIT 5");
    expect(top.data.rows.map((c) => c.code)).toEqual(raw.map((r) => r.code));
    const text = presentTool(status.outcome, s.ctx)[0]!.text;
    const off = status.data.topUsed.filter((x) => !x.active);
    expect(off.length).toBeGreaterThan(0);
    for (const c of off) expect(text).toMatch(new RegExp(`• ${c.code} .* · выключен$`, "m"));
  });
});
