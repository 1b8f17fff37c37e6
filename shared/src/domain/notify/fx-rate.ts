// The FX delta alert watches one rate (owner_notify_settings.fx_delta_last_notified_rate holds one
// number, as in the reference, whose SIS reported one). The shop may price in several base
// currencies, so the watched one is the base that moved most against the shop currency since its
// previous rate (ties: alphabetical). ntf_fx_delta_subscribe seeds the stored rate with it; the
// scheduler should pick the same way and compare like with like.

export type FxRateLike = { base: string; quote: string; rate: number; prevRate: number | null };

export type WatchedRate = { base: string; rate: number; changePct: number | null };

export function pickFxDeltaRate(rates: readonly FxRateLike[], shopCurrency: string): WatchedRate | null {
  let best: WatchedRate | null = null;
  const moveOf = (w: WatchedRate): number => (w.changePct === null ? -1 : Math.abs(w.changePct));
  for (const r of [...rates].filter((x) => x.quote === shopCurrency).sort((a, b) => a.base.localeCompare(b.base))) {
    const changePct = r.prevRate !== null && r.prevRate !== 0 ? ((r.rate - r.prevRate) / r.prevRate) * 100 : null;
    const cand = { base: r.base, rate: r.rate, changePct };
    if (best === null || moveOf(cand) > moveOf(best)) best = cand;
  }
  return best;
}
