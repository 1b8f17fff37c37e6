import * as vega from "vega";
import * as vl from "vega-lite";
import type { ChartSeries, ChartSpec } from "@ownerbot/core/queue";
import { normalizeSpaces } from "@ownerbot/domain/format";

// A ChartSpec becomes a vega-lite spec, vega compiles it and draws SVG in Node (no canvas, no
// browser). Numbers on the axes use the shop's locale and currency through a vega number locale
// derived from Intl, so "12 000 ₽" or "€12,000" come out as the presenters write them.

export const CHART_FONT = "DejaVu Sans";
export const CHART_WIDTH = 900;
export const CHART_HEIGHT = 380;
/** Line colours in series order: blue, orange, green, purple, grey. */
const COLORS = ["#2563eb", "#f97316", "#16a34a", "#9333ea", "#6b7280"];
/** Beyond this many x labels they collide; every k-th is shown instead. */
const MAX_X_LABELS = 16;

export type ChartLocale = { locale: string; currency: string };

/** d3-format's locale definition for the shop: separators and where the currency sign goes. */
export function numberLocale(o: ChartLocale): { decimal: string; thousands: string; grouping: number[]; currency: [string, string] } {
  const parts = new Intl.NumberFormat(o.locale, { style: "currency", currency: o.currency }).formatToParts(1234567.5);
  const group = parts.find((p) => p.type === "group")?.value ?? ",";
  const decimal = parts.find((p) => p.type === "decimal")?.value ?? ".";
  const numeric = new Set(["integer", "group", "decimal", "fraction"]);
  const first = parts.findIndex((p) => numeric.has(p.type));
  let last = -1;
  parts.forEach((p, i) => {
    if (numeric.has(p.type)) last = i;
  });
  const text = (ps: Intl.NumberFormatPart[]): string => normalizeSpaces(ps.map((p) => p.value).join(""));
  return {
    decimal,
    thousands: normalizeSpaces(group),
    grouping: [3],
    currency: [text(parts.slice(0, first)), text(parts.slice(last + 1))],
  };
}

/** Series on the left axis share the first series' unit (or say so); the others go right. */
export function splitAxes(series: ChartSeries[]): { left: ChartSeries[]; right: ChartSeries[] } {
  const leftUnit = (series.find((s) => s.axis === "left") ?? series.find((s) => s.axis !== "right") ?? series[0])?.unit;
  const left: ChartSeries[] = [];
  const right: ChartSeries[] = [];
  for (const s of series) {
    const side = s.axis ?? (s.unit === leftUnit ? "left" : "right");
    (side === "left" ? left : right).push(s);
  }
  return left.length === 0 ? { left: right, right: [] } : { left, right };
}

/** "23.11" from "2026-11-23"; anything else stays as given. */
export function shortLabel(x: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(x);
  return m ? `${m[3]}.${m[2]}` : x;
}

/** Indices of the x labels to print: all up to MAX_X_LABELS, else every k-th ending on the last one. */
export function labelIndices(n: number, max = MAX_X_LABELS): number[] {
  if (n <= max) return Array.from({ length: n }, (_, i) => i);
  const step = Math.ceil(n / max);
  const out: number[] = [];
  for (let i = n - 1; i >= 0; i -= step) out.unshift(i);
  return out;
}

function axisFormat(unit: ChartSeries["unit"]): { format?: string; labelExpr?: string } {
  if (unit === "money") return { format: "$,.0f" };
  if (unit === "percent") return { labelExpr: "format(datum.value, ',.1~f') + ' %'" };
  return { format: ",.0f" };
}

type Row = { i: number; s: string; v: number | null };

function layer(
  chart: ChartSpec,
  series: ChartSeries[],
  side: "left" | "right",
  colorOf: Map<string, string>,
  bars: boolean,
  dual: boolean,
) {
  const names = series.map((s) => s.name);
  const unit = series[0]?.unit ?? "count";
  const mark = bars
    ? { type: "bar", cornerRadiusTopLeft: 2, cornerRadiusTopRight: 2 }
    : { type: "line", strokeWidth: 2.5, point: { size: chart.x.length > 45 ? 0 : 36, filled: true }, invalid: "break-paths-show-domains" };
  return {
    transform: [{ filter: { field: "s", oneOf: names } }],
    mark,
    encoding: {
      y: {
        field: "v",
        type: "quantitative",
        // With two axes each names its series, so the owner knows which scale a line reads against.
        title: dual ? names.join(", ") : null,
        axis: {
          orient: side,
          titleFontSize: 12,
          titleFontWeight: "normal",
          titleColor: colorOf.get(names[0] ?? "") ?? "#374151",
          grid: side === "left",
          gridDash: [4, 4],
          gridColor: "#e5e7eb",
          tickCount: 6,
          ...axisFormat(unit),
        },
        scale: { zero: true, nice: true },
      },
      color: {
        field: "s",
        type: "nominal",
        scale: { domain: [...colorOf.keys()], range: [...colorOf.values()] },
        legend: { orient: "bottom", title: null, labelLimit: 400, symbolType: bars ? "square" : "stroke", symbolStrokeWidth: 3 },
      },
      ...(bars && series.length > 1 ? { xOffset: { field: "s", type: "nominal", sort: names } } : {}),
    },
  };
}

/** The vega-lite spec for a chart (exported for tests). */
export function chartToVegaLite(chart: ChartSpec): Record<string, unknown> {
  const rows: Row[] = [];
  for (const s of chart.series) {
    for (let i = 0; i < chart.x.length; i++) {
      const v = s.values[i];
      rows.push({ i, s: s.name, v: typeof v === "number" && Number.isFinite(v) ? v : null });
    }
  }
  const colorOf = new Map(chart.series.map((s, k) => [s.name, COLORS[k % COLORS.length]!]));
  const { left, right } = splitAxes(chart.series);
  const bars = chart.type === "bar";
  const dual = right.length > 0 && left.length > 0;
  const layers = [layer(chart, left, "left", colorOf, bars, dual)];
  // With two units the right-hand series is drawn as a line over the bars, so both stay readable.
  if (right.length > 0) layers.push(layer(chart, right, "right", colorOf, false, dual));
  const shown = labelIndices(chart.x.length);
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    width: CHART_WIDTH,
    height: CHART_HEIGHT,
    background: "#ffffff",
    padding: 12,
    title: { text: chart.title, anchor: "start", fontSize: 18, fontWeight: "bold", offset: 14 },
    params: [{ name: "xlabels", value: chart.x.map(shortLabel) }],
    data: { values: rows },
    encoding: {
      x: {
        field: "i",
        type: "ordinal",
        title: null,
        scale: { domain: chart.x.map((_, i) => i), ...(bars ? { paddingInner: 0.2, paddingOuter: 0.1 } : { padding: 0.4 }) },
        axis: { values: shown, labelExpr: "xlabels[datum.value]", labelAngle: 0, labelPadding: 6 },
      },
    },
    layer: layers,
    resolve: { scale: { y: right.length > 0 ? "independent" : "shared" } },
    config: {
      font: CHART_FONT,
      view: { stroke: null },
      axis: { labelFontSize: 12, labelColor: "#374151", domainColor: "#9ca3af", tickColor: "#9ca3af" },
      legend: { labelFontSize: 13, symbolSize: 160 },
    },
  };
}

/** Draws the chart as a standalone SVG string. */
export async function chartToSvg(chart: ChartSpec, loc: ChartLocale): Promise<string> {
  const compiled = vl.compile(chartToVegaLite(chart) as unknown as vl.TopLevelSpec).spec;
  // The View accepts locale definitions (it builds the formatters itself); the typings only know the built form.
  const options = { renderer: "none", locale: { number: numberLocale(loc) } } as unknown as vega.ViewOptions;
  const view = new vega.View(vega.parse(compiled), options);
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
