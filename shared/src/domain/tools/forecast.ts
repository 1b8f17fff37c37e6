// Demand arithmetic of reference §7, kept free of I/O so it can be checked by hand.

export type ForecastMethod = "sma" | "ses";
export type Confidence = "HIGH" | "MED" | "LOW";

/** Expands a sparse [dayIndex, qty] series into one value per day (missing days are zero sales). */
export function denseSeries(sparse: readonly (readonly [number, number])[], length: number): number[] {
  const x = new Array<number>(length).fill(0);
  for (const [i, q] of sparse) if (i >= 0 && i < length) x[i] = (x[i] ?? 0) + q;
  return x;
}

/** Simple moving average of the last `window` days, zeros included. */
export function smaRate(x: readonly number[], window: number): number {
  const n = Math.min(window, x.length);
  if (n <= 0) return 0;
  let s = 0;
  for (let i = x.length - n; i < x.length; i++) s += x[i] ?? 0;
  return s / n;
}

/** Simple exponential smoothing: s0 = x0, s_t = α·x_t + (1 − α)·s_{t−1}; the forecast is the last level. */
export function sesRate(x: readonly number[], alpha: number): number {
  if (x.length === 0) return 0;
  let s = x[0] ?? 0;
  for (let i = 1; i < x.length; i++) s = alpha * (x[i] ?? 0) + (1 - alpha) * s;
  return s;
}

export function dailyRate(x: readonly number[], p: { method: ForecastMethod; windowDays: number; alpha: number }): number {
  return p.method === "ses" ? sesRate(x, p.alpha) : smaRate(x, p.windowDays);
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
 * recommended = ⌈f·(lead + safety + horizon) − stock⌉⁺. The product is rounded to 1e-6 first so that
 * 3.0000000004 does not become 4 units.
 */
export function reorderLine(f: number, stock: number, p: { leadDays: number; safetyDays: number; horizonDays: number }): ReorderLine {
  const rop = f * (p.leadDays + p.safetyDays);
  const need = Math.round((f * (p.leadDays + p.safetyDays + p.horizonDays) - stock) * 1e6) / 1e6;
  return {
    rop,
    needed: f > 0 && stock <= rop,
    coverDays: f > 0 ? stock / f : null,
    recommendedQty: Math.max(0, Math.ceil(need)),
  };
}
