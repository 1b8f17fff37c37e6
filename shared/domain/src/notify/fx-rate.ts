// The FX delta alert watches one base currency against the shop currency: owner_notify_settings
// keeps the base (fx_delta_base, migration 0012) beside the last rate told (fx_delta_last_notified_rate),
// so the scheduler compares like with like. The owner may name the base (ntf_fx_delta_subscribe
// `base`); otherwise, and when the stored base is no longer quoted, it is the base that moved most
// against the shop currency since its previous rate (ties: alphabetical).

export type FxRateLike = { base: string; quote: string; rate: number; prevRate: number | null };

export type WatchedRate = { base: string; rate: number; changePct: number | null };

function watched(r: FxRateLike): WatchedRate {
  const changePct = r.prevRate !== null && r.prevRate !== 0 ? ((r.rate - r.prevRate) / r.prevRate) * 100 : null;
  return { base: r.base, rate: r.rate, changePct };
}

/** The bases quoted against the shop currency with a usable rate, alphabetically. */
export function fxBases(rates: readonly FxRateLike[], shopCurrency: string): string[] {
  return [...new Set(rates.filter((r) => r.quote === shopCurrency && r.rate > 0).map((r) => r.base))].sort((a, b) => a.localeCompare(b));
}

export function pickFxDeltaRate(rates: readonly FxRateLike[], shopCurrency: string): WatchedRate | null {
  let best: WatchedRate | null = null;
  const moveOf = (w: WatchedRate): number => (w.changePct === null ? -1 : Math.abs(w.changePct));
  for (const r of [...rates].filter((x) => x.quote === shopCurrency && x.rate > 0).sort((a, b) => a.base.localeCompare(b.base))) {
    const cand = watched(r);
    if (best === null || moveOf(cand) > moveOf(best)) best = cand;
  }
  return best;
}

/** The rate of `base` against the shop currency, or null when it is not quoted. */
export function rateOfBase(rates: readonly FxRateLike[], shopCurrency: string, base: string): WatchedRate | null {
  const r = rates.find((x) => x.quote === shopCurrency && x.base === base && x.rate > 0);
  return r ? watched(r) : null;
}

/**
 * The rate the alert watches: the stored base's when it is still quoted, else the pick. `switched`
 * says the watched base is not the stored one (none stored yet, or the stored one disappeared), so
 * the stored rate, if any, is of another currency and must not be compared with this one.
 */
export function watchedFxRate(
  rates: readonly FxRateLike[],
  shopCurrency: string,
  storedBase: string | null,
): (WatchedRate & { switched: boolean }) | null {
  const kept = storedBase === null ? null : rateOfBase(rates, shopCurrency, storedBase);
  if (kept) return { ...kept, switched: false };
  const picked = pickFxDeltaRate(rates, shopCurrency);
  return picked ? { ...picked, switched: true } : null;
}
