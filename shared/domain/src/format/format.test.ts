import { describe, expect, it } from "vitest";
import { formatDelta, formatMoney, formatPercent, formatPoints, NBSP, normalizeSpaces, pctChange } from "./numbers.ts";
import { countOf, ORDERS, plural } from "./plural.ts";
import {
  addDays,
  dayDiff,
  dayRangeInstants,
  dayStart,
  formatDateTime,
  formatDay,
  formatDuration,
  formatPeriod,
  isLocalDay,
  isoWeekday,
  localDay,
  parseDayInput,
  windowEnding,
} from "./dates.ts";
import { escapeHtml, splitMessage, TELEGRAM_TEXT_LIMIT, truncate } from "./text.ts";

const rub = { currency: "RUB", locale: "ru-RU" };
const sp = (s: string): string => s.replace(/ /g, NBSP);

describe("money", () => {
  it("formats roubles with no-break group spaces and no kopecks for whole amounts", () => {
    expect(formatMoney(12345, rub)).toBe(sp("12 345 ₽"));
    expect(formatMoney(1234.5, rub)).toBe(sp("1 234,50 ₽"));
    expect(formatMoney(1234.56, rub, { whole: true })).toBe(sp("1 235 ₽"));
    expect(formatMoney(0, rub)).toBe(sp("0 ₽"));
  });
  it("works for other currencies and locales", () => {
    expect(formatMoney(1234.5, { currency: "EUR", locale: "de-DE" })).toBe(sp("1.234,50 €"));
    expect(formatMoney(1234.5, { currency: "USD", locale: "en-US" })).toBe("$1,234.50");
    expect(formatMoney(1500, { currency: "JPY", locale: "ja-JP" })).toMatch(/1,500/);
  });
  it("never leaves narrow no-break spaces", () => {
    expect(normalizeSpaces("1\u202f234")).toBe(`1${NBSP}234`);
    expect(formatMoney(9876543.21, { currency: "EUR", locale: "fr-FR" })).not.toMatch(/\u202f/);
  });
});

describe("percent and deltas", () => {
  it("shows the sign and a Russian decimal comma", () => {
    expect(formatPercent(12.5)).toBe(sp("+12,5 %"));
    expect(formatPercent(-3.14)).toBe(sp("-3,1 %"));
    expect(formatPercent(0)).toBe(sp("0 %"));
    expect(formatPercent(40, "ru-RU", { sign: false })).toBe(sp("40 %"));
  });
  it("puts an arrow in front of a change and a dash when there is no base", () => {
    expect(formatDelta(12.5)).toBe(sp("▲ +12,5 %"));
    expect(formatDelta(-7)).toBe(sp("▼ -7 %"));
    expect(formatDelta(null)).toBe("—");
    // The arrow agrees with the rounded number: no "= -0,1 %", no "▼ -0 %".
    expect(formatDelta(-0.05)).toBe(sp("▼ -0,1 %"));
    expect(formatDelta(-0.0494)).toBe(sp("= 0 %"));
    expect(formatDelta(0.04)).toBe(sp("= 0 %"));
    expect(formatDelta(-0.0494, "ru-RU", 2)).toBe(sp("▼ -0,05 %"));
    expect(formatPoints(1.24)).toBe(sp("▲ +1,2 п.п."));
  });
  it("computes relative change and refuses a zero base", () => {
    expect(pctChange(150, 100)).toBe(50);
    expect(pctChange(1, 3)).toBe(-66.67);
    expect(pctChange(5, 0)).toBeNull();
  });
});

describe("plural", () => {
  it("picks the Russian form", () => {
    const cases: [number, string][] = [
      [0, "заказов"],
      [1, "заказ"],
      [2, "заказа"],
      [4, "заказа"],
      [5, "заказов"],
      [11, "заказов"],
      [12, "заказов"],
      [21, "заказ"],
      [22, "заказа"],
      [111, "заказов"],
      [1.5, "заказа"],
    ];
    for (const [n, form] of cases) expect(plural(n, ORDERS), String(n)).toBe(form);
    expect(countOf(12345, ORDERS)).toBe(sp("12 345 заказов"));
  });
});

describe("shop-local days", () => {
  it("finds the local day of an instant in the shop time zone", () => {
    // 21:30 UTC is already the next day in Moscow (UTC+3) and still the same day in New York.
    const t = new Date("2026-11-22T21:30:00Z");
    expect(localDay(t, "Europe/Moscow")).toBe("2026-11-23");
    expect(localDay(t, "America/New_York")).toBe("2026-11-22");
  });
  it("finds the instant a local day starts, across DST", () => {
    expect(dayStart("2026-11-23", "Europe/Moscow").toISOString()).toBe("2026-11-22T21:00:00.000Z");
    expect(dayStart("2026-03-29", "Europe/Berlin").toISOString()).toBe("2026-03-28T23:00:00.000Z");
    expect(dayStart("2026-03-30", "Europe/Berlin").toISOString()).toBe("2026-03-29T22:00:00.000Z");
    const r = dayRangeInstants("2026-03-29", "2026-03-29", "Europe/Berlin");
    expect(r.end.getTime() - r.start.getTime()).toBe(23 * 3600_000);
  });
  it("does calendar arithmetic on day strings", () => {
    expect(addDays("2026-12-31", 1)).toBe("2027-01-01");
    expect(addDays("2028-03-01", -1)).toBe("2028-02-29");
    expect(dayDiff("2026-11-17", "2026-11-23")).toBe(6);
    expect(windowEnding("2026-11-23", 7)).toEqual({ from: "2026-11-17", to: "2026-11-23" });
    expect(isoWeekday("2026-11-23")).toBe(1);
    expect(isLocalDay("2026-02-30")).toBe(false);
  });
  it("parses days the owner types relative to the shop's today", () => {
    expect(parseDayInput("вчера", "2026-11-23")).toBe("2026-11-22");
    expect(parseDayInput("today", "2026-11-23")).toBe("2026-11-23");
    expect(parseDayInput("5.11.2026", "2026-11-23")).toBe("2026-11-05");
    expect(parseDayInput("2026-13-01", "2026-11-23")).toBeNull();
  });
});

describe("date display", () => {
  it("formats days, periods and times the Russian way", () => {
    expect(formatDay("2026-11-23")).toBe("23.11.2026");
    expect(formatPeriod("2026-11-17", "2026-11-23")).toBe("17.11–23.11.2026");
    expect(formatPeriod("2025-12-28", "2026-01-03")).toBe("28.12.2025–03.01.2026");
    expect(formatPeriod("2026-11-23", "2026-11-23")).toBe("23.11.2026");
    const t = new Date("2026-11-23T11:05:00Z");
    expect(formatDateTime(t, "Europe/Moscow")).toBe("23 ноя, 14:05");
    expect(formatDateTime(t, "Europe/Moscow", new Date("2027-01-02T00:00:00Z"))).toBe("23 ноя 2026, 14:05");
  });
  it("formats durations", () => {
    expect(formatDuration((3 * 60 + 20) * 60_000)).toBe("3 ч 20 мин");
    expect(formatDuration(2 * 86_400_000 + 4 * 3_600_000 + 59_000)).toBe("2 д 4 ч");
    expect(formatDuration(45 * 60_000)).toBe("45 мин");
    expect(formatDuration(10_000)).toBe("< 1 мин");
  });
});

describe("splitting for Telegram", () => {
  it("keeps short text whole", () => {
    expect(splitMessage("a\nb")).toEqual(["a\nb"]);
  });
  it("splits at line boundaries under the limit and loses no line", () => {
    const lines = Array.from({ length: 500 }, (_, i) => `строка ${i} ${"x".repeat(i % 40)}`);
    const parts = splitMessage(lines.join("\n"));
    expect(parts.length).toBeGreaterThan(1);
    for (const p of parts) expect(p.length).toBeLessThanOrEqual(TELEGRAM_TEXT_LIMIT);
    expect(parts.join("\n").split("\n")).toEqual(lines);
  });
  it("cuts a single overlong line", () => {
    const parts = splitMessage("слово ".repeat(2000), 100);
    for (const p of parts) expect(p.length).toBeLessThanOrEqual(100);
    expect(parts.join(" ").replace(/\s+/g, " ").trim()).toBe("слово ".repeat(2000).trim());
  });
  it("cuts a line of emoji without splitting a surrogate pair", () => {
    const parts = splitMessage("📦".repeat(10), 5);
    expect(parts).toEqual(["📦📦", "📦📦", "📦📦", "📦📦", "📦📦"]);
    for (const p of parts) expect(p.isWellFormed()).toBe(true);
  });
  it("escapes HTML specials", () => {
    expect(escapeHtml("<b>A&B</b>")).toBe("&lt;b&gt;A&amp;B&lt;/b&gt;");
  });
});

describe("truncate", () => {
  it("cuts a title at a word boundary, not inside a word", () => {
    expect(truncate("Тренч из хлопка, коричневый", 24)).toBe("Тренч из хлопка…");
    expect(truncate("Платье миди с запахом, изумрудное", 30)).toBe("Платье миди с запахом…");
    expect(truncate("короткий", 24)).toBe("короткий");
    // One long word has no boundary to use: it is cut hard, still within the limit.
    const word = "а".repeat(40);
    expect(truncate(word, 10)).toBe(`${"а".repeat(9)}…`);
    for (const n of [5, 12, 24, 36]) expect(truncate("Сумка-тоут из канваса, чёрная, большая", n).length).toBeLessThanOrEqual(n);
  });
});
