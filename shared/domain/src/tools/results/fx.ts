// The result data of the fx tools: plain types the tools return and the presenters read.

/** FX moves are shown to hundredths of a percent: the threshold (0.5 %) and a 0.46 % move both read right. */
export const FX_CHANGE_DIGITS = 2;

export type FxStatusRow = {
  base: string;
  quote: string;
  day: string;
  rate: number;
  prevDay: string | null;
  prevRate: number | null;
  /** Unrounded, so the threshold check is not flipped by rounding (0.4996 % is not 0.5 %). */
  changePct: number | null;
  /** `changePct` as every text shows it (shownFxChange). */
  changeShownPct: number | null;
  overThreshold: boolean;
};

export type FxStatusData = {
  shopCurrency: string;
  /** The shop's today the rates were read for; rates dated earlier are stale. */
  today: string;
  thresholdPct: number;
  rates: FxStatusRow[];
  wouldApply: boolean;
};
