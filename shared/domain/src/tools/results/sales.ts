import type { Confidence, ForecastMethod } from "../forecast.ts";
import type { SalesRow } from "../provider.ts";

// The result data of the sales tools: plain types the tools return and the presenters read.

export type TopProductsData = {
  days: number;
  metric: "revenue" | "qty";
  direction: "top" | "bottom";
  groupBy: "product" | "category";
  offset: number;
  rows: (SalesRow & { rank: number; sharePct: number })[];
  totals: { qty: number; revenue: number; keys: number };
};

export type DemandRow = {
  productId: string;
  title: string;
  category: string;
  stockQty: number;
  /** Mean daily units over the whole history window. */
  avgDaily: number;
  /** The method's daily rate (SMA of the last window, or the SES level). */
  forecastDaily: number;
  nonzeroDays: number;
  confidence: Confidence;
};

export type DemandForecastData = {
  horizonDays: number;
  historyDays: number;
  method: ForecastMethod;
  total: number;
  offset: number;
  items: (DemandRow & { forecastTotal: number; notes: string[] })[];
};

export type ReorderItem = DemandRow & { rop: number; needed: boolean; coverDays: number | null; recommendedQty: number };

export type ReorderPlanData = {
  horizonDays: number;
  leadTimeDays: number;
  safetyStockDays: number;
  method: ForecastMethod;
  /** Products with demand (the plan's universe). */
  total: number;
  neededCount: number;
  /** Only the products to reorder are listed (the default); `listed` is what the pages go through. */
  onlyNeeded: boolean;
  listed: number;
  offset: number;
  items: ReorderItem[];
};
