import { describe, expect, it } from "vitest";
import type { ShopSettings, ToolResult } from "../contract.ts";
import type { TrendData } from "../tools/results/kpi.ts";
import type { KpiDay } from "../tools/provider.ts";
import { trendCaption, trendChart, trendReport } from "./trend.ts";

const shop: ShopSettings = { shopId: "s", currency: "RUB", timeZone: "Europe/Moscow", locale: "ru-RU" };
const day = (d: string, gross: number, paid: number): KpiDay => ({
  day: d,
  revenueGross: gross,
  revenueNet: gross * 0.9,
  ordersPaid: paid,
  ordersCreated: paid,
  aov: paid ? (gross * 0.9) / paid : 0,
  refundsCount: 0,
  refundsAmount: 0,
});
const series = [day("2026-11-21", 10_000, 4), day("2026-11-22", 0, 0), day("2026-11-23", 12_345, 5)];
const data = (missingDays: number): TrendData => ({
  days: 3,
  openDay: null,
  from: "2026-11-21",
  endDay: "2026-11-23",
  series,
  missingDays,
  totals: { revenueGross: 22_345, revenueNet: 20_110.5, ordersPaid: 9, ordersCreated: 9, refundsAmount: 0, refundsCount: 0, aov: 2234.5 },
  prev: {
    from: "2026-11-18",
    to: "2026-11-20",
    totals: { revenueGross: 20_000, revenueNet: 18_000, ordersPaid: 8, ordersCreated: 8, refundsAmount: 0, refundsCount: 0, aov: 2250 },
  },
  deltaVsPrevWindow: { revenueGrossPct: 11.73, revenueNetPct: 11.73, ordersPaidPct: 12.5, aovPct: -0.69 },
  today: null,
});
const result = (d: TrendData): ToolResult<TrendData> => ({
  data: d,
  warnings: [{ code: "INSUFFICIENT_DATA", message: "Нет данных за 1 из 3 дн." }],
  provenance: { sources: ["demo:demo_kpi_daily"] },
  asOf: "2026-11-23T12:00:00Z",
});

describe("revenue trend report", () => {
  it("draws gross revenue on the money axis and paid orders on the right; a day the tool filled with zeros is a gap", () => {
    const c = trendChart(data(1), shop);
    expect(c.x).toEqual(["2026-11-21", "2026-11-22", "2026-11-23"]);
    expect(c.series.map((s) => [s.name, s.unit, s.axis])).toEqual([
      ["Выручка", "money", "left"],
      ["Оплаченные заказы", "count", "right"],
    ]);
    expect(c.series[0]!.values).toEqual([10_000, null, 12_345]);
    expect(c.series[1]!.values).toEqual([4, null, 5]);
    // With every day present, a zero day is a real zero.
    expect(trendChart(data(0), shop).series[0]!.values).toEqual([10_000, 0, 12_345]);
    expect(c.footnote).toContain("Europe/Moscow");
  });

  it("captions the photo with the total, the change, the period and the source", () => {
    const lines = trendCaption(data(0), shop, ["demo:demo_kpi_daily"]).split("\n");
    expect(lines[0]).toBe("📈 Выручка за 3 дн.: 22\u00a0345\u00a0₽ ▲\u00a0+11,7\u00a0%");
    expect(lines[1]).toBe("Оплачено: 9\u00a0заказов · 21.11–23.11.2026");
    expect(lines[2]).toBe("Данные: демо · RUB");
  });

  it("names the file after the window and puts the daily table and warnings into the PDF", () => {
    const png = trendReport(result(data(1)), shop, "png");
    expect(png.filename).toBe("revenue_trend_3d.png");
    expect(png.doc.blocks.find((b) => b.kind === "chart")).toBeDefined();
    const pdf = trendReport(result(data(1)), shop, "pdf");
    expect(pdf.filename).toBe("revenue_trend_3d.pdf");
    const table = pdf.doc.blocks.find((b) => b.kind === "table");
    expect(table?.kind === "table" && table.rows.map((r) => r[0])).toEqual(["21.11.2026", "22.11.2026", "23.11.2026"]);
    expect(pdf.doc.blocks.find((b) => b.kind === "warnings")).toEqual({ kind: "warnings", items: ["Нет данных за 1 из 3 дн."] });
    // Ids are for ops: the owner's footer has the period and the source only.
    expect(pdf.doc.footer).toBe("Период: 21.11–23.11.2026 · Данные: демо");
    // Every KPI card has its change, the average order too.
    const cards = pdf.doc.blocks.find((b) => b.kind === "kpis");
    expect(cards?.kind === "kpis" && cards.items.map((k) => k.delta !== undefined)).toEqual([true, true, true, true]);
    expect(pdf.doc.currency).toBe("RUB");
  });
});
