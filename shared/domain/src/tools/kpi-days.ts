import { addDays, dayStart, type LocalDay } from "../format/dates.ts";
import { round2 } from "../format/numbers.ts";
import type { KpiDay } from "./provider.ts";
import type { ToolEnv } from "./runtime.ts";

// KPI days for the KPI tools, and the rule that keeps their comparisons honest while the shop's
// today is still going: a partial day is only ever compared with the same hours of another day.

export type KpiTotals = {
  revenueGross: number;
  revenueNet: number;
  ordersPaid: number;
  ordersCreated: number;
  refundsAmount: number;
  refundsCount: number;
  aov: number;
};

/** Sums of a set of days; AOV = net / max(paid, 1) as in the reference. */
export function totalsOf(days: KpiDay[]): KpiTotals {
  const t = { revenueGross: 0, revenueNet: 0, ordersPaid: 0, ordersCreated: 0, refundsAmount: 0, refundsCount: 0 };
  for (const d of days) {
    t.revenueGross += d.revenueGross;
    t.revenueNet += d.revenueNet;
    t.ordersPaid += d.ordersPaid;
    t.ordersCreated += d.ordersCreated;
    t.refundsAmount += d.refundsAmount;
    t.refundsCount += d.refundsCount;
  }
  return {
    revenueGross: round2(t.revenueGross),
    revenueNet: round2(t.revenueNet),
    ordersPaid: t.ordersPaid,
    ordersCreated: t.ordersCreated,
    refundsAmount: round2(t.refundsAmount),
    refundsCount: t.refundsCount,
    aov: round2(t.revenueNet / Math.max(t.ordersPaid, 1)),
  };
}

export function zeroDay(day: LocalDay): KpiDay {
  return { day, revenueGross: 0, revenueNet: 0, ordersPaid: 0, ordersCreated: 0, aov: 0, refundsCount: 0, refundsAmount: 0 };
}

/**
 * Set when a period includes the shop's today, which is still going: its numbers are up to `at`,
 * and whatever it is compared with was cut at the same point of its own day (`sameHours`).
 */
export type OpenDay = { day: LocalDay; at: string; sameHours: boolean } | null;

/**
 * The last full day: the default end of every window. Today is still going, so a window ending
 * today would set a few hours against whole days (a morning "-100 %", charts ending in a cliff).
 */
export function lastFullDay(env: Pick<ToolEnv, "clock">): LocalDay {
  return addDays(env.clock.today, -1);
}

/** How far into its day the shop's "now" is, in milliseconds. */
export function elapsedToday(env: Pick<ToolEnv, "clock" | "tz">): number {
  return env.clock.now.getTime() - dayStart(env.clock.today, env.tz).getTime();
}

/** `day` counted from its start for as long as today has run so far: the like-for-like counterpart. */
export async function sameHoursOf(env: Pick<ToolEnv, "clock" | "tz" | "provider">, day: LocalDay): Promise<KpiDay> {
  const start = dayStart(day, env.tz);
  const end = new Date(Math.min(start.getTime() + elapsedToday(env), dayStart(addDays(day, 1), env.tz).getTime()));
  return { day, ...(await env.provider.kpiBetween(start, end)) };
}

/**
 * Rows of a window that contains the open day, with its counterpart in the other window cut to the
 * same hours: the day at the same position (`today − shift`), when the rows hold it.
 */
export async function withCounterpartCut(
  env: Pick<ToolEnv, "clock" | "tz" | "provider">,
  rows: KpiDay[],
  counterpart: LocalDay,
): Promise<KpiDay[]> {
  if (!rows.some((r) => r.day === counterpart)) return rows;
  const cut = await sameHoursOf(env, counterpart);
  return rows.map((r) => (r.day === counterpart ? cut : r));
}
