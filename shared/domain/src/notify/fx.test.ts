import { describe, expect, it } from "vitest";
import { fxApplyDecision, fxDeltaDecision, fxRateOf, parseLastApply } from "./fx.ts";
import { fxBases, watchedFxRate } from "./fx-rate.ts";

describe("FX rate of a status", () => {
  it("takes the first numeric reference field", () => {
    expect(fxRateOf({ current_rate: "bad", resolved_rate: "92.5", rate: 1 })).toEqual({
      rate: 92.5,
      base: null,
      label: null,
      switched: false,
    });
    expect(fxRateOf({ rates: [] })).toBeNull();
  });

  const status = {
    shopCurrency: "RUB",
    rates: [
      { base: "CNY", quote: "RUB", rate: 12.1, prevRate: 12.0 }, // +0.83 %
      { base: "EUR", quote: "RUB", rate: 99, prevRate: 100 }, // −1 %
      { base: "USD", quote: "RUB", rate: 90, prevRate: 90.1 }, // −0.11 %
    ],
  };

  it("for sis_fx_status rows: the stored base's row, even when another base moved more", () => {
    expect(fxRateOf(status, "USD")).toEqual({ rate: 90, base: "USD", label: "USD/RUB", switched: false });
    expect(fxRateOf(status, "CNY")).toEqual({ rate: 12.1, base: "CNY", label: "CNY/RUB", switched: false });
  });

  it("without a stored base, or when it is no longer quoted: the biggest mover, marked as a switch", () => {
    const eur = { rate: 99, base: "EUR", label: "EUR/RUB", switched: true };
    expect(fxRateOf(status)).toEqual(eur);
    expect(fxRateOf(status, "GBP")).toEqual(eur);
    // Ties go to the alphabetically first base; a row without a base is ignored.
    const tie = {
      shopCurrency: "RUB",
      rates: [
        { quote: "RUB", rate: 1, prevRate: 2 },
        { base: "USD", quote: "RUB", rate: 101, prevRate: 100 },
        { base: "EUR", quote: "RUB", rate: 99, prevRate: 100 },
      ],
    };
    expect(fxRateOf(tie)).toMatchObject({ base: "EUR", rate: 99 });
  });
});

describe("watched FX rate", () => {
  const rates = [
    { base: "EUR", quote: "RUB", rate: 99, prevRate: 100 },
    { base: "USD", quote: "RUB", rate: 90, prevRate: 90.1 },
    { base: "USD", quote: "EUR", rate: 0.9, prevRate: 0.5 }, // another quote: never watched
  ];
  it("keeps the stored base, picks otherwise, and lists the bases quoted against the shop currency", () => {
    expect(watchedFxRate(rates, "RUB", "USD")).toMatchObject({ base: "USD", rate: 90, switched: false });
    expect(watchedFxRate(rates, "RUB", null)).toMatchObject({ base: "EUR", rate: 99, switched: true });
    expect(watchedFxRate(rates, "RUB", "CNY")).toMatchObject({ base: "EUR", switched: true });
    expect(watchedFxRate([], "RUB", "USD")).toBeNull();
    expect(fxBases(rates, "RUB")).toEqual(["EUR", "USD"]);
  });
});

describe("FX delta", () => {
  const now = new Date("2026-11-23T12:00:00Z");
  const s = {
    fx_delta_min_percent: 0.25,
    fx_delta_cooldown_hours: 6,
    fx_delta_last_notified_rate: null as number | null,
    fx_delta_last_notified_at: null as Date | null,
  };
  const at = (rate: number, switched = false): { rate: number; switched: boolean } => ({ rate, switched });

  it("sends the first rate, then only moves of at least the minimum after the cooldown", () => {
    expect(fxDeltaDecision(s, at(90), now)).toEqual({ send: true, rate: 90, previous: null, deltaPct: null });
    expect(fxDeltaDecision(s, null, now)).toEqual({ send: false, why: "no_rate" });
    const told = { ...s, fx_delta_last_notified_rate: 100, fx_delta_last_notified_at: new Date("2026-11-23T06:00:00Z") };
    expect(fxDeltaDecision(told, at(100.24), now)).toEqual({ send: false, why: "small" });
    const d = fxDeltaDecision(told, at(99.75), now); // −0.25 %
    expect(d.send).toBe(true);
    expect(d.send && d.deltaPct).toBeCloseTo(-0.25, 10);
    expect(fxDeltaDecision(told, at(101), new Date("2026-11-23T11:59:59Z"))).toEqual({ send: false, why: "cooldown" });
  });

  it("does not compare a rate of another base with the stored one: it is a first notice", () => {
    const told = { ...s, fx_delta_last_notified_rate: 90, fx_delta_last_notified_at: new Date("2026-11-23T11:00:00Z") };
    // 99 vs 90 would be +10 % inside the cooldown; as another currency it is told as a new start.
    expect(fxDeltaDecision(told, at(99, true), now)).toEqual({ send: true, rate: 99, previous: null, deltaPct: null });
  });
});

describe("FX apply events", () => {
  const status = {
    last_apply: {
      attempted_at: "2026-11-23T10:00:00Z",
      result: "failed",
      affected_count: 0,
      rate: "91.2",
      reason: "timeout",
      error: "SIS 504",
    },
  };

  it("parses last_apply into an event with its key; DEMO's status has none", () => {
    const p = parseLastApply(status);
    expect(p).toEqual({
      kind: "event",
      event: {
        at: "2026-11-23T10:00:00Z",
        result: "failed",
        affected: 0,
        rate: 91.2,
        deltaPct: null,
        reason: "timeout",
        error: "SIS 504",
        key: "2026-11-23T10:00:00Z|failed|0|91.2|timeout",
      },
    });
    expect(parseLastApply({ rates: [] })).toEqual({ kind: "absent" });
    expect(parseLastApply({ last_apply: { result: "failed" } })).toMatchObject({ kind: "problem" });
    expect(parseLastApply({ last_apply: { at: "x", result: "exploded" } })).toMatchObject({ kind: "problem" });
  });

  it("sends subscribed results once per key, after the cooldown", () => {
    const p = parseLastApply(status);
    if (p.kind !== "event") throw new Error("expected an event");
    const now = new Date("2026-11-23T12:00:00Z");
    const s = {
      fx_apply_notify_applied: false,
      fx_apply_notify_noop: false,
      fx_apply_notify_failed: true,
      fx_apply_last_seen_key: null as string | null,
      fx_apply_last_sent_at: null as Date | null,
      fx_apply_events_cooldown_hours: 6,
    };
    expect(fxApplyDecision(s, p.event, now)).toEqual({ send: true });
    expect(fxApplyDecision({ ...s, fx_apply_notify_failed: false }, p.event, now)).toEqual({ send: false, why: "muted" });
    expect(fxApplyDecision({ ...s, fx_apply_last_seen_key: p.event.key }, p.event, now)).toEqual({ send: false, why: "same_key" });
    expect(fxApplyDecision({ ...s, fx_apply_last_sent_at: new Date("2026-11-23T07:00:00Z") }, p.event, now)).toEqual({
      send: false,
      why: "cooldown",
    });
  });
});
