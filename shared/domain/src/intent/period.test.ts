import { describe, expect, it } from "vitest";
import type { ShopSettings } from "../contract.ts";
import { parsePeriod, shopToday, weekStartOf, type Calendar } from "./period.ts";
import { routeText } from "./route.ts";
import { prepare } from "./text.ts";

// Periods are shop-local days. Monday 23.11.2026 is "today" in the calendar tests.

const CAL: Calendar = { today: "2026-11-23", weekStart: 1 };
const period = (text: string, cal = CAL): unknown => parsePeriod(prepare(text).norm, cal);
const range = (start: string, end: string, days: number): unknown => ({ kind: "range", start, end, days });
/** "за N дней": the last N days, read by the trend and compare tools as N full days before today. */
const rolling = (start: string, end: string, days: number): unknown => ({ kind: "range", start, end, days, rolling: true });

describe("period grammar", () => {
  it.each([
    ["сегодня", { kind: "day", day: "2026-11-23" }],
    ["вчера", { kind: "day", day: "2026-11-22" }],
    ["позавчера", { kind: "day", day: "2026-11-21" }],
    ["day before yesterday", { kind: "day", day: "2026-11-21" }],
    ["за неделю", rolling("2026-11-17", "2026-11-23", 7)],
    ["за 7 дней", rolling("2026-11-17", "2026-11-23", 7)],
    ["last 10 days", rolling("2026-11-14", "2026-11-23", 10)],
    ["за три дня", rolling("2026-11-21", "2026-11-23", 3)],
    ["за двое суток", rolling("2026-11-22", "2026-11-23", 2)],
    ["за 2 недели", rolling("2026-11-10", "2026-11-23", 14)],
    ["за 3 месяца", rolling("2026-08-26", "2026-11-23", 90)],
    ["за месяц", rolling("2026-10-25", "2026-11-23", 30)],
    ["за квартал", rolling("2026-08-26", "2026-11-23", 90)],
    ["за год", rolling("2025-11-24", "2026-11-23", 365)],
    ["на этой неделе", range("2026-11-23", "2026-11-23", 1)],
    ["за прошлую неделю", range("2026-11-16", "2026-11-22", 7)],
    ["в этом месяце", range("2026-11-01", "2026-11-23", 23)],
    ["в прошлом месяце", range("2026-10-01", "2026-10-31", 31)],
    ["с начала года", range("2026-01-01", "2026-11-23", 327)],
    ["в прошлом году", range("2025-01-01", "2025-12-31", 365)],
    ["в ноябре", range("2026-11-01", "2026-11-23", 23)],
    ["в феврале", range("2026-02-01", "2026-02-28", 28)],
    ["в декабре", range("2025-12-01", "2025-12-31", 31)],
    ["in march", range("2026-03-01", "2026-03-31", 31)],
    ["с 01.11 по 15.11", range("2026-11-01", "2026-11-15", 15)],
    ["01.11-15.11", range("2026-11-01", "2026-11-15", 15)],
    ["с 1 по 15 ноября", range("2026-11-01", "2026-11-15", 15)],
    ["c 2026-11-01 по 2026-11-05", range("2026-11-01", "2026-11-05", 5)],
    ["с 20.12.2025 по 05.01.2026", range("2025-12-20", "2026-01-05", 17)],
    ["15.11", { kind: "day", day: "2026-11-15" }],
    ["15 ноября", { kind: "day", day: "2026-11-15" }],
    ["15.12", { kind: "day", day: "2025-12-15" }],
    ["в пятницу", { kind: "day", day: "2026-11-20" }],
    ["в понедельник", { kind: "day", day: "2026-11-23" }],
    ["с 01.11 по 30.11", range("2026-11-01", "2026-11-23", 23)],
  ])("%s", (text, expected) => {
    expect(period(text)).toEqual(expected);
  });

  it.each(["31.02", "25.12.2026", "в декабре 2026"])("%s is not a day that can have data", (text) => {
    expect(period(text)).toMatchObject({ kind: "invalid" });
  });

  it.each(["подними цены на 2.5%", "в 9.30", "топ 10 товаров", "заказ 1234"])("%s has no period", (text) => {
    expect(period(text)).toBeUndefined();
  });

  it("a week starts on the locale's first day", () => {
    expect(weekStartOf("ru-RU")).toBe(1);
    expect(weekStartOf("en-US")).toBe(7);
    expect(weekStartOf("not a locale!")).toBe(1);
    expect(period("this week", { today: "2026-11-23", weekStart: 7 })).toEqual(range("2026-11-22", "2026-11-23", 2));
  });
});

describe("shop time zone", () => {
  const shop = (timeZone: string, locale = "ru-RU"): ShopSettings => ({ shopId: "s", currency: "RUB", timeZone, locale });

  it("23:30 UTC is already tomorrow in Moscow", () => {
    const now = new Date("2026-11-23T23:30:00Z");
    expect(shopToday(now, "Europe/Moscow")).toBe("2026-11-24");
    expect(shopToday(now, "UTC")).toBe("2026-11-23");
    expect(routeText("kpi сегодня", { shop: shop("Europe/Moscow"), now })).toEqual({
      kind: "tool",
      tool: "kpi_snapshot",
      input: { day: "2026-11-24" },
    });
    expect(routeText("kpi вчера", { shop: shop("Europe/Moscow"), now })).toEqual({
      kind: "tool",
      tool: "kpi_snapshot",
      input: { day: "2026-11-23" },
    });
    expect(routeText("kpi вчера", { shop: shop("UTC"), now })).toEqual({
      kind: "tool",
      tool: "kpi_snapshot",
      input: { day: "2026-11-22" },
    });
  });

  it("03:00 UTC is still yesterday in New York", () => {
    const now = new Date("2026-11-24T03:00:00Z");
    expect(routeText("sales today", { shop: shop("America/New_York", "en-US"), now })).toEqual({
      kind: "tool",
      tool: "kpi_snapshot",
      input: { day: "2026-11-23" },
    });
  });

  it("an unknown zone falls back to UTC instead of failing", () => {
    expect(shopToday(new Date("2026-11-23T23:30:00Z"), "Mars/Olympus")).toBe("2026-11-23");
  });

  it("a period ending before today is passed as end_day, and clamped reports say so", () => {
    const ctx = { shop: shop("Europe/Moscow"), now: new Date("2026-11-23T10:00:00Z") };
    expect(routeText("выручка в прошлом месяце", ctx)).toEqual({
      kind: "tool",
      tool: "revenue_trend",
      input: { days: 31, end_day: "2026-10-31" },
    });
    const top = routeText("топ товаров в прошлом месяце", ctx);
    expect(top.kind === "tool" && top.input.days).toBe(53);
    expect(top.kind === "tool" && top.notes?.join(" ")).toMatch(/от вчерашнего дня назад: беру последние 53/);
    const longTrend = routeText("выручка за 2 года", ctx);
    expect(longTrend.kind === "tool" && longTrend.input).toEqual({ days: 365 });
    expect(longTrend.kind === "tool" && longTrend.notes?.length).toBe(1);
  });
});
