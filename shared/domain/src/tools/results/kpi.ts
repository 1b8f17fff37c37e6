import type { LocalDay } from "../../format/dates.ts";
import type { KpiDay } from "../provider.ts";
import type { KpiTotals, OpenDay } from "../kpi-days.ts";

// The result data of the kpi tools: plain types the tools return and the presenters read.

export type { KpiTotals, OpenDay } from "../kpi-days.ts";

export type KpiSnapshotData = {
  day: LocalDay;
  /** When `day` is today: up to when; `prevDay` and `weekAgo` are then cut to the same hours. */
  openDay: OpenDay;
  kpi: KpiDay;
  prevDay: KpiDay | null;
  weekAgo: KpiDay | null;
};

export type KpiWindow = { from: LocalDay; to: LocalDay; days: number; daysWithData: number; totals: KpiTotals };

export type KpiCompareData = {
  preset: "wow" | "mom" | "custom";
  openDay: OpenDay;
  a: KpiWindow;
  b: KpiWindow;
  delta: Record<"revenueGross" | "revenueNet" | "ordersPaid" | "ordersCreated" | "aov", { abs: number; pct: number | null }>;
};

export type TrendData = {
  days: number;
  openDay: OpenDay;
  from: LocalDay;
  endDay: LocalDay;
  /** Every day of the window; days without a KPI row are zeros and counted in `missingDays`. */
  series: KpiDay[];
  missingDays: number;
  totals: KpiTotals;
  prev: { from: LocalDay; to: LocalDay; totals: KpiTotals } | null;
  deltaVsPrevWindow: {
    revenueGrossPct: number | null;
    revenueNetPct: number | null;
    ordersPaidPct: number | null;
    aovPct: number | null;
  } | null;
  /** Today so far, when the window is the default one that ends at the last full day. */
  today: { day: LocalDay; at: string; kpi: KpiDay } | null;
};
