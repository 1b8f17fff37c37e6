import type { LocalDay } from "../../format/dates.ts";
import type { RefundBreakdown } from "../provider.ts";

// The result data of the insights tools: plain types the tools return and the presenters read.

export const FUNNEL_STAGES = ["visits", "productViews", "addToCart", "checkoutStarted", "ordersCreated", "ordersPaid"] as const;

export type FunnelStage = (typeof FUNNEL_STAGES)[number];

export type FunnelStageRow = {
  stage: FunnelStage;
  count: number;
  prevCount: number | null;
  /** Conversion from the previous stage, percent (null for the first stage or a zero base). */
  ratePct: number | null;
  prevRatePct: number | null;
  deltaPp: number | null;
};

export type FunnelData = {
  days: number;
  from: LocalDay;
  to: LocalDay;
  prev: { from: LocalDay; to: LocalDay } | null;
  stages: FunnelStageRow[];
  overall: { ratePct: number | null; prevRatePct: number | null; deltaPp: number | null };
  /** The step that fell most against the previous period, else the weakest step. */
  weakest: { from: FunnelStage; to: FunnelStage; ratePct: number; deltaPp: number | null; why: "drop" | "lowest" } | null;
};

export type RefundDay = {
  day: LocalDay;
  count: number;
  amount: number;
  /** Mean and standard deviation of the metric over the trailing baseline (null: too little history). */
  baselineMean: number | null;
  baselineStd: number | null;
  z: number | null;
  ratio: number | null;
  spike: boolean;
};

export type RefundsAnomaliesData = {
  days: number;
  from: LocalDay;
  to: LocalDay;
  metric: "amount" | "count";
  baselineDays: number;
  zThreshold: number;
  minRatio: number;
  minCount: number;
  series: RefundDay[];
  spikes: RefundDay[];
  totals: {
    count: number;
    amount: number;
    revenueGross: number;
    refundRatePct: number | null;
    prevAmount: number | null;
    amountDeltaPct: number | null;
  };
  reasons: RefundBreakdown[];
  /** Products over the last PRODUCTS_DAYS days of the window (a refund's money split over its items). */
  products: RefundBreakdown[];
  productsFrom: LocalDay;
  /** Reasons on the worst spike day, to say what drove it. */
  spikeReasons: RefundBreakdown[];
};
