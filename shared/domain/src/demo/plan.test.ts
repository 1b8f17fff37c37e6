import { describe, expect, it } from "vitest";
import { addDays, historyDays, intradayShareBefore, intradayWarp, planDays, PLANTED, productCount, DIP_DAYS_AGO } from "./plan.ts";
import { buildProducts, charmPrice, minorToDecimal, roundAmountOff } from "./products.ts";

describe("demo plan", () => {
  it("scales history and catalogue with the number of orders", () => {
    expect(historyDays(1_000)).toBe(120);
    expect(historyDays(1_000_000)).toBe(730);
    expect(historyDays(30_000)).toBeGreaterThan(120);
    expect(productCount(1_000)).toBe(24);
    expect(productCount(1_000_000)).toBeGreaterThan(2_000);
  });

  it("splits the regular orders over the days exactly, weekends busier than Wednesdays", () => {
    const days = planDays({ scale: 50_000, seed: 1, anchorDay: "2026-03-10", asOfDayFraction: 0.75 });
    expect(days).toHaveLength(historyDays(50_000));
    expect(days.at(-1)!.day).toBe("2026-03-10");
    expect(days.reduce((s, d) => s + d.count, 0)).toBe(50_000 - PLANTED.length);
    days.forEach((d, i) => expect(d.firstK).toBe(i === 0 ? 1 : days[i - 1]!.firstK + days[i - 1]!.count));
    const byDow = (dow: number): number => {
      const picked = days.slice(0, -1).filter((d) => new Date(`${d.day}T00:00:00Z`).getUTCDay() === dow);
      return picked.reduce((s, d) => s + d.count, 0) / picked.length;
    };
    expect(byDow(6)).toBeGreaterThan(byDow(3) * 1.3);
    const dip = days[days.length - 1 - DIP_DAYS_AGO]!;
    const neighbours = days
      .slice(-16, -2)
      .filter((d) => d !== dip)
      .map((d) => d.count);
    expect(dip.count).toBeLessThan(Math.min(...neighbours) * 0.5);
  });

  it("keeps the intraday warp monotone and inverts it", () => {
    for (let f = 0; f < 1; f += 0.01) expect(intradayWarp(f + 0.01)).toBeGreaterThan(intradayWarp(f));
    expect(intradayWarp(0)).toBeCloseTo(0, 12);
    expect(intradayWarp(1)).toBeCloseTo(1, 12);
    expect(intradayWarp(intradayShareBefore(0.6))).toBeCloseTo(0.6, 9);
  });

  it("does calendar arithmetic on dates, not instants", () => {
    expect(addDays("2024-03-01", -1)).toBe("2024-02-29");
    expect(addDays("2025-12-31", 1)).toBe("2026-01-01");
  });
});

describe("demo prices", () => {
  it("rounds like a shop: 2 490, 12 990, 29.99", () => {
    expect(charmPrice(2430)).toBe(249_000);
    expect(charmPrice(12_300)).toBe(1_299_000);
    expect(charmPrice(29.3)).toBe(2_999);
    expect(minorToDecimal(1_299_000)).toBe("12990.00");
    expect(minorToDecimal(2_999)).toBe("29.99");
    expect(roundAmountOff(500, "RUB")).toBe(50_000);
    expect(roundAmountOff(500, "EUR")).toBe(500);
  });

  it("builds unique, gender-agreeing titles and exact anomaly sets", () => {
    const { rows, anomalies } = buildProducts({ scale: 1000, seed: 3, currency: "RUB", historyStartMs: 0, asOfMs: 120 * 86_400_000 });
    expect(new Set(rows.map((r) => r.title)).size).toBe(rows.length);
    expect(
      rows
        .filter((r) => r.stock === 0)
        .map((r) => r.productId)
        .sort(),
    ).toEqual(anomalies.outOfStock);
    expect(rows.filter((r) => r.price === 0).every((r) => r.salePrice > 0)).toBe(true);
    const dress = rows.find((r) => r.title.startsWith("Платье"));
    if (dress) expect(dress.title).toMatch(/ое$|ое, модель \d+$/);
  });
});
