import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Reply, ToolContext } from "../contract.ts";
import { createRegistry, listTools, presentTool, runTool, settingTools } from "../tools/index.ts";
import { ANCHOR, one, seededShop, type TestShop } from "@ownerbot/testkit/test-shop";
import { fitRows, labelBudget, labelWidth } from "../ui/keyboard.ts";

// What the owner reads: every tool's text fits Telegram, lists stay short, the footer names the
// period and the source, and money/plurals are spelled the Russian way. Expected strings are built
// here by hand, not with the formatters under test.

let s: TestShop;
beforeAll(async () => {
  s = await seededShop();
  await s.env.pool.query(
    "INSERT INTO audit_events (event_type, payload) VALUES ('tool_call', '{\"tool\":\"kpi_snapshot\"}'), ('upstream_unavailable', '{}')",
  );
});
afterAll(async () => {
  await s.env.close();
});

const NBSP = "\u00a0";
/** 1234567.8 → "1 234 568 ₽" with no-break spaces, by string surgery rather than Intl. */
const rub = (v: number): string => `${String(Math.round(v)).replace(/\B(?=(\d{3})+(?!\d))/g, NBSP)}${NBSP}₽`;
const ordersWord = (n: number): string => {
  const d = n % 10;
  const h = n % 100;
  if (d === 1 && h !== 11) return "заказ";
  if (d >= 2 && d <= 4 && (h < 12 || h > 14)) return "заказа";
  return "заказов";
};

async function show(name: string, input: unknown, ctx: ToolContext = s.ctx): Promise<Reply[]> {
  return presentTool(await runTool(name, input, ctx), ctx);
}

const LIST_LINE = /^(• |🔴 |🟢 |\d+\. )/;

describe("every read tool", () => {
  it("fits Telegram, keeps lists to ten rows and ends with the data source", async () => {
    const order = await one<{ order_id: string }>(s.env, "SELECT order_id FROM demo_orders ORDER BY order_no DESC LIMIT 1");
    const inputs: Record<string, unknown[]> = {
      order_detail: [{ order_id: order.order_id }],
      orders_search: [{}, { limit: 200 }, { preset: "payment_issues", limit: 200 }],
      inventory_status: [{}, { section: "low_stock", limit: 50, low_stock_lte: 999 }],
      top_products: [{ days: 365, limit: 30 }],
      reorder_plan: [{ limit: 100 }],
      demand_forecast: [{ limit: 50, method: "ses" }],
      revenue_trend: [{ days: 365 }, { days: 60 }],
      chats_unanswered: [{ limit: 50 }],
      sys_audit_recent: [{ limit: 100 }],
    };
    for (const t of listTools()) {
      for (const input of inputs[t.name] ?? [{}]) {
        const outcome = await runTool(t.name, input, s.ctx);
        expect(outcome.ok, `${t.name} ${JSON.stringify(input)}: ${outcome.ok ? "" : outcome.error.message}`).toBe(true);
        const replies = presentTool(outcome, s.ctx);
        expect(replies.length).toBeGreaterThan(0);
        for (const r of replies) {
          expect(r.text.length, t.name).toBeLessThanOrEqual(4096);
          expect(r.text.split("\n").filter((l) => LIST_LINE.test(l)).length, `${t.name} rows`).toBeLessThanOrEqual(16);
          expect(r.text, t.name).toMatch(/^\p{Extended_Pictographic}/u);
          expect(r.text, t.name).toMatch(/Данные: (демо|журнал OwnerBot)/);
          // Laid out as the worker sends them, no label is cut on a phone.
          for (const row of fitRows(r.buttons ?? []))
            for (const b of row) expect(labelWidth(b.text), `${t.name}: ${b.text}`).toBeLessThanOrEqual(labelBudget(row.length));
        }
      }
    }
  });
});

describe("every notification settings tool", () => {
  it("fits Telegram, starts with its icon and leads back to all notifications", async () => {
    const reg = createRegistry(settingTools);
    const ctx: ToolContext = { ...s.ctx, actorId: 31337 };
    for (const t of settingTools) {
      const outcome = await reg.run(t.name, {}, ctx);
      expect(outcome.ok, `${t.name}: ${outcome.ok ? "" : outcome.error.message}`).toBe(true);
      const [r, ...more] = reg.present(outcome, ctx);
      expect(more, t.name).toEqual([]);
      expect(r!.text.length, t.name).toBeLessThanOrEqual(4096);
      expect(r!.text, t.name).toMatch(/^\p{Extended_Pictographic}/u);
      const tools = (r!.buttons ?? []).flat().map((b) => ("action" in b && b.action.t === "tool" ? b.action.tool : ""));
      if (t.kind === "setting") expect(tools.at(-1), t.name).toBe("ntf_status");
      // Every button runs a registered settings tool.
      for (const name of tools) expect(reg.get(name), `${t.name} → ${name}`).toBeDefined();
    }
  });
});

describe("key strings", () => {
  it("kpi_snapshot: roubles with no-break spaces and Russian plurals", async () => {
    const day = "2026-11-22";
    const raw = await one<{ gross: number; paid: number }>(
      s.env,
      "SELECT coalesce(sum(amount), 0) AS gross, count(*)::int AS paid FROM demo_orders WHERE (paid_at AT TIME ZONE 'Europe/Moscow')::date = $1",
      [day],
    );
    const [r] = await show("kpi_snapshot", { day });
    expect(r?.text).toContain(`📊 KPI за 22.11.2026 (вс)`);
    expect(r?.text).toContain(`Выручка: ${rub(raw.gross)}`);
    expect(r?.text).toContain(`Оплачено: ${raw.paid}${NBSP}${ordersWord(raw.paid)}`);
  });

  it("revenue_trend: the period and source line", async () => {
    const [r] = await show("revenue_trend", { days: 7 });
    expect(r?.text.split("\n")).toContain("Период: 16.11–22.11.2026 · Данные: демо");
    expect(r?.text).toContain("Сегодня, 23.11, в период не входит");
    const [open] = await show("revenue_trend", { days: 7, end_day: ANCHOR });
    expect(open?.text).toContain("23.11 ещё не закончился: данные на 18:00. Сравнение — за те же часы (до 18:00).");
  });

  it("orders_search: count with the right noun form, order buttons and a working next page", async () => {
    const total = await one<{ n: number }>(s.env, "SELECT count(*)::int AS n FROM demo_orders WHERE status = 'paid'");
    const [r] = await show("orders_search", { status: "paid" });
    const shown = Math.min(total.n, 1000);
    expect(r?.text).toContain(
      `Найдено: ${total.n > 1000 ? "больше " : ""}${shown.toLocaleString("ru-RU").replace(/\s/g, NBSP)} ${total.n > 1000 ? "заказов" : ordersWord(shown)}`,
    );
    const next = r?.buttons?.flat().find((b) => b.text === "Далее ▶️");
    expect(next && "action" in next ? next.action : null).toMatchObject({
      t: "tool",
      tool: "orders_search",
      input: { status: "paid", offset: 10 },
    });
    const firstOrder = r?.buttons?.[0]?.[0];
    expect(firstOrder && "action" in firstOrder ? firstOrder.action : null).toMatchObject({ t: "tool", tool: "order_detail" });
    if (next && "action" in next && next.action.t === "tool") {
      const page2 = await runTool(next.action.tool, next.action.input, s.ctx);
      const ids = await s.env.pool.query(
        "SELECT order_id FROM demo_orders WHERE status = 'paid' ORDER BY created_at DESC, order_no DESC OFFSET 10 LIMIT 10",
      );
      expect(page2.ok && (page2.result.data as { items: { orderId: string }[] }).items.slice(0, 10).map((o) => o.orderId)).toEqual(
        ids.rows.map((x: { order_id: string }) => x.order_id),
      );
    }
  });

  it("errors read as one Russian line with the tool's title", async () => {
    const [r] = await show("revenue_trend", { days: 400 });
    expect(r?.text).toBe("⚠️ Динамика выручки: Параметр days: допустимо от 1 до 365, получено 400");
    const [nf] = await show("order_detail", { order_id: "OB-99999999" });
    expect(nf?.text).toBe("🔎 Карточка заказа: Заказ OB-99999999 не найден.");
  });

  it("money follows the shop's currency and locale", async () => {
    const eur: ToolContext = { ...s.ctx, shop: { shopId: "x", currency: "EUR", timeZone: "Europe/Moscow", locale: "de-DE" } };
    const [r] = await show("kpi_snapshot", { day: ANCHOR }, eur);
    expect(r?.text).toMatch(/Выручка: [\d.]+\u00a0€/);
  });
});
