// Demand arithmetic of reference §7, kept free of I/O so it can be checked by hand.

export type ForecastMethod = "sma" | "ses";
export type Confidence = "HIGH" | "MED" | "LOW";

/**
 * Units per day: SMA = units of the last min(window, history) days / that many days (days without
 * sales count as zero); SES = the smoothed level the provider computed over the whole history.
 */
export function dailyRate(
  d: { windowQty: number; sesLevel: number | null },
  p: { method: ForecastMethod; windowDays: number; historyDays: number },
): number {
  return p.method === "ses" ? (d.sesLevel ?? 0) : d.windowQty / Math.min(p.windowDays, p.historyDays);
}

/** HIGH: ≥ 30 days of history and ≥ 10 days with sales; MED: ≥ 14 and ≥ 5; otherwise LOW. */
export function confidence(historyDays: number, nonzeroDays: number): Confidence {
  if (historyDays >= 30 && nonzeroDays >= 10) return "HIGH";
  if (historyDays >= 14 && nonzeroDays >= 5) return "MED";
  return "LOW";
}

export type ReorderLine = { rop: number; needed: boolean; coverDays: number | null; recommendedQty: number };

/**
 * Reorder point ROP = f·(lead + safety); reorder when stock ≤ ROP and there is demand; cover = stock / f;
 * recommended = ⌈f·(lead + safety + horizon) − stock⌉⁺ for a product that needs a reorder, 0 for one
 * that does not (stock above its reorder point is enough now, whatever the horizon would add). The
 * product is rounded to 1e-6 first so that 3.0000000004 does not become 4 units.
 */
export function reorderLine(f: number, stock: number, p: { leadDays: number; safetyDays: number; horizonDays: number }): ReorderLine {
  const rop = f * (p.leadDays + p.safetyDays);
  const need = Math.round((f * (p.leadDays + p.safetyDays + p.horizonDays) - stock) * 1e6) / 1e6;
  const needed = f > 0 && stock <= rop;
  return {
    rop,
    needed,
    coverDays: f > 0 ? stock / f : null,
    recommendedQty: needed ? Math.max(0, Math.ceil(need)) : 0,
  };
}
