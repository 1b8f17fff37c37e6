// The shape of the demo shop, decided in TypeScript before any row is written: how long the
// history is, how many orders fall on each day, which orders are planted anomalies, and the
// coupon calendar. Pure functions of (scale, seed, anchor day, time of day at as_of).

import { streamRng } from "./prng.ts";

export const MIN_SCALE = 1_000;
export const MAX_SCALE = 1_000_000;

/** ~120 days for 1k orders, growing with log(scale) to ~2 years for 1M. */
export function historyDays(scale: number): number {
  const t = Math.log10(scale / 1000) / 3;
  return Math.round(Math.min(730, Math.max(120, 120 + 610 * t)));
}

/** 24 products for 1k orders, ~3 000 for 1M. */
export function productCount(scale: number): number {
  return Math.max(24, Math.round(24 * Math.pow(scale / 1000, 0.7)));
}

/** Repeat buyers become more common as the shop grows: ~1.4 orders per customer at 1k, ~2.6 at 1M. */
export function customerCount(scale: number): number {
  return Math.round(scale / (1.4 + 0.4 * Math.log10(scale / 1000)));
}

export function chatCount(scale: number): number {
  return Math.min(400, Math.max(16, Math.round(scale / 150)));
}

export function lookCount(products: number): number {
  return Math.min(40, Math.max(10, Math.round(10 + products / 100)));
}

export function flaggedCount(scale: number): number {
  return 5 + Math.floor(scale / 50_000);
}

/** Days before the anchor day of the planted revenue dip and refund spike. */
export const DIP_DAYS_AGO = 9;
export const SPIKE_DAYS_AGO = 3;

/** The four-day sale (BLACKFRIDAY20) runs from 110 to 107 days before the anchor day. */
export const SALE_DAYS_AGO: [number, number] = [110, 107];

/** Monday … Sunday: weekends busiest, a slow Wednesday. */
const WEEKDAY = [0.95, 0.86, 0.76, 0.88, 1.05, 1.32, 1.24];

/** Must stay equal to intradaySql in sql-rand.ts. */
export function intradayWarp(f: number): number {
  return f + (0.7 * (Math.sin(2 * Math.PI * (f - 0.1)) + Math.sin(2 * Math.PI * 0.1))) / (2 * Math.PI);
}

/** The fraction of a day's orders placed before local time-of-day `e` (0..1). */
export function intradayShareBefore(e: number): number {
  let lo = 0;
  let hi = 1;
  for (let i = 0; i < 50; i++) {
    const mid = (lo + hi) / 2;
    if (intradayWarp(mid) < e) lo = mid;
    else hi = mid;
  }
  return lo;
}

export function addDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/** A planted order: its kind and how many seconds before as_of it was created. */
export type PlantedOrder = { kind: AnomalyKind; secondsBeforeAsOf: number };
export type AnomalyKind = "stuck" | "pay_pending" | "late_ship" | "fail_recent" | "pending_fresh";

/**
 * Orders placed at fixed distances from as_of so that every scale has them, however thin its
 * recent days are. They are part of `scale`, not added to it.
 */
export const PLANTED: PlantedOrder[] = [
  ...[8, 20, 31].map((h) => ({ kind: "stuck" as const, secondsBeforeAsOf: h * 3600 })),
  ...[7, 14].map((h) => ({ kind: "pay_pending" as const, secondsBeforeAsOf: h * 3600 })),
  ...[76, 98, 120, 147].map((h) => ({ kind: "late_ship" as const, secondsBeforeAsOf: h * 3600 })),
  ...[25, 55, 100].map((m) => ({ kind: "fail_recent" as const, secondsBeforeAsOf: m * 60 })),
  ...[4, 12].map((m) => ({ kind: "pending_fresh" as const, secondsBeforeAsOf: m * 60 })),
];

export type PlanDay = { day: string; firstK: number; count: number; fmax: number };

/**
 * How many of the regular (non-planted) orders fall on each day, and the share of the day's
 * intraday curve that has elapsed (1 except on the anchor day, which ends at as_of).
 */
export function planDays(opts: { scale: number; seed: number; anchorDay: string; asOfDayFraction: number }): PlanDay[] {
  const days = historyDays(opts.scale);
  const regular = opts.scale - PLANTED.length;
  const rng = streamRng(opts.seed, 1);
  const anchorShare = intradayShareBefore(opts.asOfDayFraction);
  const weights: number[] = [];
  for (let i = 0; i < days; i++) {
    const day = addDays(opts.anchorDay, i - (days - 1));
    const date = new Date(`${day}T00:00:00Z`);
    const dow = (date.getUTCDay() + 6) % 7;
    const doy = Math.floor((date.getTime() - Date.UTC(date.getUTCFullYear(), 0, 1)) / 86_400_000);
    const trend = 0.65 + (0.35 * i) / (days - 1);
    // A mild yearly wave: busier in autumn and before the New Year, quieter in early summer.
    const season = 1 + 0.08 * Math.cos((2 * Math.PI * (doy - 330)) / 365);
    const noise = 0.88 + 0.24 * rng();
    const daysAgo = days - 1 - i;
    let w = WEEKDAY[dow]! * trend * season * noise;
    if (daysAgo === DIP_DAYS_AGO) w *= 0.25;
    if (daysAgo >= SALE_DAYS_AGO[1] && daysAgo <= SALE_DAYS_AGO[0]) w *= 1.6;
    if (daysAgo === 0) w *= anchorShare;
    weights.push(w);
  }
  const total = weights.reduce((a, b) => a + b, 0);
  const out: PlanDay[] = [];
  let acc = 0;
  let prevCum = 0;
  for (let i = 0; i < days; i++) {
    acc += weights[i]!;
    const cum = i === days - 1 ? regular : Math.round((regular * acc) / total);
    out.push({
      day: addDays(opts.anchorDay, i - (days - 1)),
      firstK: prevCum + 1,
      count: cum - prevCum,
      fmax: i === days - 1 ? anchorShare : 1,
    });
    prevCum = cum;
  }
  return out;
}

export type CouponPlan = {
  code: string;
  percentOff?: number;
  /** Fixed discounts are set in RUB and converted to the shop currency. */
  amountOffRub?: number;
  active: boolean;
  /** Validity window as shop-local midnights, in days relative to the anchor day (end exclusive). */
  startDaysAgo?: number;
  endDaysAgo?: number;
  /** Probability that an order inside the window uses this coupon. */
  share: number;
  /** "Used up": max_uses is set to the number of orders that used it. */
  usedUp?: boolean;
};

export function couponPlan(days: number): CouponPlan[] {
  return [
    { code: "WELCOME10", percentOff: 10, active: true, share: 0.05 },
    { code: "SHIP5", amountOffRub: 500, active: true, share: 0.03 },
    { code: "VIP25", percentOff: 25, active: true, share: 0.008 },
    { code: "LOYAL7", percentOff: 7, active: true, startDaysAgo: Math.round(days * 0.6), share: 0.02 },
    { code: "SPRING15", percentOff: 15, active: false, startDaysAgo: 75, endDaysAgo: 45, share: 0.06, usedUp: true },
    { code: "BLACKFRIDAY20", percentOff: 20, active: false, startDaysAgo: SALE_DAYS_AGO[0], endDaysAgo: SALE_DAYS_AGO[1] - 1, share: 0.25 },
    { code: "WEEKEND12", percentOff: 12, active: true, startDaysAgo: 20, endDaysAgo: -5, share: 0.03 },
    { code: "BDAY1000", amountOffRub: 1000, active: true, share: 0.004 },
    { code: "AUTUMN30", percentOff: 30, active: true, startDaysAgo: -3, endDaysAgo: -33, share: 0 },
  ];
}
