import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runTool, presentTool } from "./index.ts";
import type { RiskSignalsData } from "./results/risk.ts";
import { maskPhone } from "../presenters/risk.ts";
import { all, ok, one, seededShop, type TestShop } from "@ownerbot/testkit/test-shop";

// truststack_signals against SQL written here from the definitions in docs/tools.md, on the
// generated shop plus a few planted cases so every signal has something to find.

let s: TestShop;
// The 30 shop-local days ending on the anchor day 2026-11-23 (Europe/Moscow, UTC+3).
const START = "2026-10-24T21:00:00Z";
const END = "2026-11-23T21:00:00Z";

beforeAll(async () => {
  s = await seededShop();
  const order = (no: number, o: { customer: string; phone: string; amount: number; status: string; payment: string; at: string }): string =>
    `('OB-${no}', ${no}, '${o.status}', ${o.amount}, 'RUB', '${o.at}', '${o.customer}', '${o.phone}', '${o.payment}', 'none', '${o.at}')`;
  await s.env.pool.query(`INSERT INTO demo_orders (order_id, order_no, status, amount, currency, created_at, customer_id, customer_phone,
      payment_status, shipping_status, updated_at) VALUES
    ${order(990001, { customer: "CU-RISK1", phone: "+79990001122", amount: 1500, status: "failed", payment: "failed", at: "2026-11-20T10:00:00Z" })},
    ${order(990002, { customer: "CU-RISK1", phone: "+79990001122", amount: 1600, status: "failed", payment: "failed", at: "2026-11-20T10:05:00Z" })},
    ${order(990003, { customer: "CU-RISK2", phone: "+79990001122", amount: 1700, status: "failed", payment: "failed", at: "2026-11-20T10:09:00Z" })},
    ${order(990004, { customer: "CU-RISK3", phone: "+79990003344", amount: 2000, status: "refunded", payment: "refunded", at: "2026-09-01T10:00:00Z" })},
    ${order(990005, { customer: "CU-RISK3", phone: "+79990003344", amount: 2500, status: "refunded", payment: "refunded", at: "2026-11-01T10:00:00Z" })},
    ${order(990006, { customer: "CU-RISK4", phone: "+79990005566", amount: 900000, status: "pending", payment: "pending", at: "2026-11-22T08:00:00Z" })}`);
  await s.env.pool.query(`INSERT INTO demo_refunds (refund_id, order_id, customer_id, amount, reason, created_at) VALUES
    ('RF-990004', 'OB-990004', 'CU-RISK3', 2000, 'defect', '2026-11-02T10:00:00Z'),
    ('RF-990005', 'OB-990005', 'CU-RISK3', 2500, 'defect', '2026-11-05T10:00:00Z')`);
  await s.env.pool.query(`UPDATE demo_orders SET flagged = true, flag_reason = 'Проверить вручную', flagged_at = '2026-11-22T09:00:00Z'
    WHERE order_id = 'OB-990006'`);
});
afterAll(async () => {
  await s.env.close();
});

describe("truststack_signals", () => {
  it("counts every signal as the SQL definitions do", async () => {
    const { data } = await ok<RiskSignalsData>("truststack_signals", { limit: 20 }, s.ctx);

    const flagged = await one<{ n: number }>(
      s.env,
      `SELECT count(*)::int AS n FROM demo_orders WHERE flagged AND flagged_at >= $1 AND flagged_at < $2`,
      [START, END],
    );
    expect(data.flagged.total).toBe(flagged.n);
    expect(data.flagged.items.map((o) => o.orderId)).toContain("OB-990006");

    const phones = await all<{ phone: string; n: number }>(
      s.env,
      `SELECT customer_phone AS phone, count(*)::int AS n FROM demo_orders
       WHERE payment_status = 'failed' AND created_at >= $1 AND created_at < $2 GROUP BY 1 HAVING count(*) >= 2`,
      [START, END],
    );
    expect(data.failedPaymentPhones.total).toBe(phones.length);
    expect(data.failedPaymentPhones.items.find((p) => p.phone === "+79990001122")?.failed).toBe(3);

    const refunders = await all<{ customer_id: string }>(
      s.env,
      `SELECT o.customer_id FROM demo_refunds r JOIN demo_orders o ON o.order_id = r.order_id
       WHERE r.created_at >= $1 AND r.created_at < $2 GROUP BY o.customer_id HAVING count(*) >= 2`,
      [START, END],
    );
    expect(data.repeatRefunders.total).toBe(refunders.length);
    const risk3 = data.repeatRefunders.items.find((c) => c.customerId === "CU-RISK3");
    expect(risk3).toMatchObject({ refunded: 2, refundAmount: 4500, orders: 2 });

    const avg = await one<{ avg: number }>(
      s.env,
      `SELECT sum(revenue_gross)::float8 / sum(orders_paid) AS avg FROM demo_kpi_daily WHERE day BETWEEN '2026-10-25' AND '2026-11-23'`,
    );
    expect(data.bigNewOrders.averageOrder).toBeCloseTo(avg.avg, 6);
    const big = await all<{ order_id: string }>(
      s.env,
      `SELECT o.order_id FROM demo_orders o
       WHERE o.created_at >= $1 AND o.created_at < $2 AND o.amount >= $3 AND o.status NOT IN ('shipped', 'delivered', 'cancelled', 'refunded', 'failed')
         AND o.created_at = (SELECT min(created_at) FROM demo_orders f WHERE f.customer_id = o.customer_id)`,
      [START, END, avg.avg * 3],
    );
    expect(data.bigNewOrders.total).toBe(big.length);
    expect(data.bigNewOrders.items[0]?.orderId).toBe("OB-990006");
    expect(data.firing).toBe(4);
  });

  it("respects the thresholds and the limit", async () => {
    const { data } = await ok<RiskSignalsData>(
      "truststack_signals",
      { min_failed_payments: 4, min_refunds: 3, limit: 1, big_order_factor: 20 },
      s.ctx,
    );
    expect(data.failedPaymentPhones.items.find((p) => p.phone === "+79990001122")).toBeUndefined();
    expect(data.repeatRefunders.items.find((c) => c.customerId === "CU-RISK3")).toBeUndefined();
    expect(data.flagged.items.length).toBeLessThanOrEqual(1);
  });

  it("presents each signal in Russian with masked phones and order buttons", async () => {
    const outcome = await runTool("truststack_signals", {}, s.ctx);
    const [reply] = presentTool(outcome, s.ctx);
    expect(reply?.text).toContain("🛡 Сигналы риска");
    expect(reply?.text).toContain("999 ***-**-22");
    expect(reply?.text).not.toContain("+79990001122");
    expect(reply?.text).toContain("#990006");
    const actions = (reply?.buttons ?? []).flat().map((b) => ("action" in b ? b.action : null));
    expect(actions).toContainEqual({ t: "tool", tool: "order_detail", input: { order_id: "990006" } });
  });

  it("rejects out-of-range input naming the parameter", async () => {
    const out = await runTool("truststack_signals", { days: 400 }, s.ctx);
    expect(out.ok).toBe(false);
    if (!out.ok) expect(out.error.message).toContain("days");
  });

  it("masks phones of any length sensibly", () => {
    expect(maskPhone("+7 (916) 123-45-67")).toBe("+7 916 ***-**-67");
    expect(maskPhone("9161234567")).toBe("916 ***-**-67");
    expect(maskPhone("12")).toBe("***");
  });
});
