import { describe, expect, it } from "vitest";
import { escalationKey, escalationReasons, escalationStep, type EscalationInput } from "./escalation.ts";

const toggles = {
  escalation_on_fx_failed: true,
  escalation_on_out_of_stock: true,
  escalation_on_stuck_orders_severe: true,
  escalation_on_errors_spike: true,
  escalation_on_unanswered_chats_severe: false,
  escalation_stuck_orders_min: 3,
  escalation_errors_min: 5,
  escalation_unanswered_chats_min: 5,
};
const calm: EscalationInput = { fxLastApplyFailed: false, outOfStock: 0, stuck: 2, errors: 4, unansweredSevere: 9 };

describe("escalation reasons", () => {
  it("fire at the reference thresholds, each behind its toggle", () => {
    expect(escalationReasons(toggles, calm)).toEqual([]);
    expect(escalationReasons(toggles, { ...calm, stuck: 3, errors: 5, outOfStock: 1, fxLastApplyFailed: true }).map((r) => r.code)).toEqual(
      ["fx_failed", "out_of_stock", "stuck_orders", "errors_spike"],
    );
    // Unanswered chats only with its toggle (off by default).
    expect(escalationReasons({ ...toggles, escalation_on_unanswered_chats_severe: true }, calm)).toEqual([
      { code: "unanswered_chats", count: 9 },
    ]);
    expect(escalationReasons({ ...toggles, escalation_on_stuck_orders_severe: false }, { ...calm, stuck: 10 })).toEqual([]);
    // Unreadable parts are never a reason.
    expect(escalationReasons(toggles, { ...calm, stuck: null, errors: null, outOfStock: null })).toEqual([]);
  });

  it("keys an incident by its reasons, not by its counts", () => {
    expect(
      escalationKey([
        { code: "stuck_orders", count: 3 },
        { code: "out_of_stock", count: 1 },
      ]),
    ).toBe("out_of_stock+stuck_orders");
    expect(
      escalationKey([
        { code: "out_of_stock", count: 7 },
        { code: "stuck_orders", count: 9 },
      ]),
    ).toBe("out_of_stock+stuck_orders");
  });
});

describe("escalation state machine", () => {
  const MIN = 60_000;
  const t0 = new Date("2026-11-23T08:00:00Z");
  const plus = (min: number): Date => new Date(t0.getTime() + min * MIN);
  const empty = {
    escalation_last_event_key: null as string | null,
    escalation_first_seen_at: null as Date | null,
    escalation_last_sent_at: null as Date | null,
    escalation_repeat_count: 0,
    escalation_last_ack_key: null as string | null,
    escalation_snoozed_until: null as Date | null,
    escalation_stage1_after_minutes: 120,
    escalation_repeat_every_minutes: 360,
    escalation_max_repeats: 3,
  };
  const oos = [{ code: "out_of_stock" as const, count: 2 }];

  /** Runs the machine through instants, applying each patch as the tick would. */
  function run(times: Date[], start = empty, reasons = oos) {
    let s = { ...start };
    return times.map((now) => {
      const step = escalationStep(s, reasons, now);
      if ("patch" in step) s = { ...s, ...step.patch };
      return step.kind === "send" ? `send${step.stage}` : step.kind === "skip" ? step.why : step.kind;
    });
  }

  it("remembers a new incident without sending, sends stage 1 after stage1_after_minutes, repeats and stops at max_repeats", () => {
    expect(run([t0, plus(119), plus(120), plus(121), plus(479), plus(480), plus(840), plus(1200), plus(1560)])).toEqual([
      "remember",
      "too_young",
      "send1",
      "repeat_wait",
      "repeat_wait",
      "send2",
      "send3",
      "max_repeats",
      "max_repeats",
    ]);
  });

  it("a different set of reasons is a new incident; no reasons resets", () => {
    const seen = {
      ...empty,
      escalation_last_event_key: "out_of_stock",
      escalation_first_seen_at: t0,
      escalation_repeat_count: 2,
      escalation_last_sent_at: t0,
    };
    const step = escalationStep(seen, [...oos, { code: "stuck_orders", count: 4 }], plus(10));
    expect(step).toMatchObject({ kind: "remember", key: "out_of_stock+stuck_orders" });
    expect(step.kind === "remember" && step.patch).toEqual({
      escalation_last_event_key: "out_of_stock+stuck_orders",
      escalation_first_seen_at: plus(10),
      escalation_last_sent_at: null,
      escalation_repeat_count: 0,
    });
    expect(escalationStep({ ...seen, escalation_last_ack_key: "out_of_stock" }, [], plus(10))).toMatchObject({
      kind: "reset",
      patch: { escalation_last_event_key: null, escalation_repeat_count: 0, escalation_last_ack_key: null },
    });
    // After the reset, the same reasons are a new incident: remembered (and not acked) again.
    expect(escalationStep({ ...empty, escalation_last_ack_key: null }, oos, plus(20))).toMatchObject({
      kind: "remember",
      key: "out_of_stock",
    });
    expect(escalationStep(empty, [], plus(10))).toEqual({ kind: "idle" });
  });

  it("an ack silences this incident only; a snooze silences until it ends", () => {
    const ripe = { ...empty, escalation_last_event_key: "out_of_stock", escalation_first_seen_at: t0 };
    expect(escalationStep({ ...ripe, escalation_last_ack_key: "out_of_stock" }, oos, plus(200))).toMatchObject({
      kind: "skip",
      why: "acked",
    });
    expect(escalationStep({ ...ripe, escalation_last_ack_key: "stuck_orders" }, oos, plus(200))).toMatchObject({ kind: "send", stage: 1 });
    const snoozed = { ...ripe, escalation_snoozed_until: plus(300) };
    expect(escalationStep(snoozed, oos, plus(299))).toMatchObject({ kind: "skip", why: "snoozed" });
    expect(escalationStep(snoozed, oos, plus(300))).toMatchObject({ kind: "send", stage: 1, firstSeenAt: t0 });
  });

  it("max_repeats 0 never sends", () => {
    expect(run([t0, plus(500)], { ...empty, escalation_max_repeats: 0 })).toEqual(["remember", "max_repeats"]);
  });
});
