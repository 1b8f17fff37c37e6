import { pctChange } from "../format/numbers.ts";
import type { Delta } from "./results/retro.ts";

// The arithmetic the retro tools share (retro-tools.ts, retro-advice.ts): counted rows summed by a
// predicate, and a period against the one before.

export const sum = <R extends { count: number }>(rows: readonly R[], pred: (r: R) => boolean): number =>
  rows.reduce((s, r) => s + (pred(r) ? r.count : 0), 0);

export const delta = (current: number, previous: number): Delta => ({
  current,
  previous,
  absolute: current - previous,
  percent: pctChange(current, previous),
});
