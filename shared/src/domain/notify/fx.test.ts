import { describe, expect, it } from "vitest";
import { fxApplyDecision, fxDeltaDecision, fxRateOf, parseLastApply } from "./fx.ts";

describe("FX rate of a status", () => {
  it("takes the first numeric reference field", () => {
    expect(fxRateOf({ current_rate: "bad", resolved_rate: "92.5", rate: 1 })).toEqual({ rate: 92.5, label: null });
    expect(fxRateOf({ rates: [] })).toBeNull();
  });

  it("for sis_fx_status rows: the biggest mover without a previous rate, else the row nearest the previous rate", () => {
    const status = {
      shopCurrency: "RUB",
      rates: [
        { base: "CNY", quote: "RUB", rate: 12.1, prevRate: 12.0 }, // +0.83 %
        { base: "EUR", quote: "RUB", rate: 99, prevRate: 100 }, // −1 %
        { base: "USD", quote: "RUB", rate: 90, prevRate: 90.1 }, // −0.11 %
      ],
    };
    expect(fxRateOf(status)).toEqual({ rate: 99, label: "EUR/RUB" });
    // The owner was last told about USD at 91: USD is compared, not today's biggest mover.
    expect(fxRateOf(status, 91)).toEqual({ rate: 90, label: "USD/RUB" });
    expect(fxRateOf(status, 12.5)).toEqual({ rate: 12.1, label: "CNY/RUB" });
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

  it("sends the first rate, then only moves of at least the minimum after the cooldown", () => {
    expect(fxDeltaDecision(s, 90, now)).toEqual({ send: true, rate: 90, previous: null, deltaPct: null });
    expect(fxDeltaDecision(s, null, now)).toEqual({ send: false, why: "no_rate" });
    const told = { ...s, fx_delta_last_notified_rate: 100, fx_delta_last_notified_at: new Date("2026-11-23T06:00:00Z") };
    expect(fxDeltaDecision(told, 100.24, now)).toEqual({ send: false, why: "small" });
    const d = fxDeltaDecision(told, 99.75, now); // −0.25 %
    expect(d.send).toBe(true);
    expect(d.send && d.deltaPct).toBeCloseTo(-0.25, 10);
    expect(fxDeltaDecision(told, 101, new Date("2026-11-23T11:59:59Z"))).toEqual({ send: false, why: "cooldown" });
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
