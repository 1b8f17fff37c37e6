import type { RiskSignals } from "../provider.ts";

// The result data of the risk tools: plain types the tools return and the presenters read.

export type RiskSignalsData = RiskSignals & {
  days: number;
  rules: { minFailed: number; minRefunds: number; bigOrderFactor: number };
  /** How many of the four signals have at least one hit. */
  firing: number;
};
