import { describe, expect, it } from "vitest";
import { chartToSvg, chartToVegaLite, labelIndices, numberLocale, shortLabel, splitAxes } from "./chart.ts";
import type { ChartSpec } from "@ownerbot/core/queue";

const days = (n: number): string[] => Array.from({ length: n }, (_, i) => new Date(Date.UTC(2026, 10, 1 + i)).toISOString().slice(0, 10));

const trend = (n: number): ChartSpec => ({
  type: "line",
  title: "Выручка <и> заказы & «всё»",
  x: days(n),
  series: [
    { name: "Выручка", unit: "money", values: days(n).map((_, i) => (i === 2 ? null : 1000 * (i + 1))) },
    { name: "Заказы", unit: "count", values: days(n).map((_, i) => (i === 2 ? null : i + 1)) },
  ],
});

type Layer = {
  encoding: { y: { axis: { orient: string; format?: string }; title: string | null } };
  mark: { type: string; invalid?: string };
};

describe("chart spec", () => {
  it("builds d3 number locales from Intl: rouble after the number, euro before, the shop's separators", () => {
    const rub = numberLocale({ locale: "ru-RU", currency: "RUB" });
    expect(rub.decimal).toBe(",");
    expect(rub.thousands).toBe("\u00a0");
    expect(rub.currency).toEqual(["", "\u00a0₽"]);
    const eur = numberLocale({ locale: "en-US", currency: "EUR" });
    expect(eur).toMatchObject({ decimal: ".", thousands: ",", currency: ["€", ""] });
  });

  it("puts series of another unit on a second axis, unless told otherwise", () => {
    const s = trend(5).series;
    expect(splitAxes(s)).toEqual({ left: [s[0]], right: [s[1]] });
    const same = [s[0]!, { ...s[0]!, name: "Чистая" }];
    expect(splitAxes(same).right).toEqual([]);
    const forced = [{ ...s[0]!, axis: "right" as const }, s[1]!];
    expect(splitAxes(forced)).toEqual({ left: [s[1]], right: [forced[0]] });
    expect(splitAxes([{ ...s[1]!, axis: "right" }])).toEqual({ left: [{ ...s[1]!, axis: "right" }], right: [] });
  });

  it("labels at most 16 days, always including the last one", () => {
    expect(labelIndices(7)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    const ninety = labelIndices(90);
    expect(ninety.length).toBeLessThanOrEqual(16);
    expect(ninety.at(-1)).toBe(89);
    // Evenly spaced: every gap is the same step.
    const gaps = new Set(ninety.slice(1).map((v, i) => v - ninety[i]!));
    expect(gaps).toEqual(new Set([Math.ceil(90 / 16)]));
    expect(shortLabel("2026-11-23")).toBe("23.11");
    expect(shortLabel("неделя 47")).toBe("неделя 47");
  });

  it("draws two axes (money left, count right), breaks lines at nulls, and keeps nulls as nulls", () => {
    const spec = chartToVegaLite(trend(14)) as { layer: Layer[]; data: { values: { v: number | null }[] }; resolve: unknown };
    expect(spec.layer.map((l) => l.encoding.y.axis.orient)).toEqual(["left", "right"]);
    expect(spec.layer[0]!.encoding.y.axis.format).toBe("$,.0f");
    expect(spec.layer.map((l) => l.encoding.y.title)).toEqual(["Выручка", "Заказы"]);
    expect(spec.layer[0]!.mark.invalid).toBe("break-paths-show-domains");
    expect(spec.resolve).toEqual({ scale: { y: "independent" } });
    expect(spec.data.values.filter((r) => r.v === null)).toHaveLength(2);
  });

  it("renders SVG in Node with escaped text, Cyrillic, DejaVu Sans and rouble axis labels", async () => {
    const svg = await chartToSvg(trend(14), { locale: "ru-RU", currency: "RUB" });
    expect(svg.startsWith("<svg")).toBe(true);
    expect(svg).toContain("Выручка &lt;и&gt; заказы &amp; «всё»");
    expect(svg).not.toContain("<и>");
    expect(svg).toContain("DejaVu Sans");
    // 14 000 is the largest value; the axis shows round thousands with the rouble sign after them.
    expect(svg).toMatch(/\d{1,2}\u00a0000\u00a0₽/);
    expect(svg).toContain(">14.11<");
  });
});
