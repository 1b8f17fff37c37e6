import type { Selectable } from "kysely";
import type { OwnerNotifySettings } from "@ownerbot/core/db";

// Escalation of critical problems (reference §8): a problem must persist for
// `escalation_stage1_after_minutes` before the first message, then repeats every
// `escalation_repeat_every_minutes` up to `escalation_max_repeats` times, unless the owner acked
// this incident ("принято") or snoozed escalation ("пауза 12ч"). Pure state machine: the tick
// applies the returned state change in the same statement as the message.

type Settings = Selectable<OwnerNotifySettings>;

const MINUTE = 60_000;

export type EscalationReasonCode = "fx_failed" | "out_of_stock" | "stuck_orders" | "errors_spike" | "unanswered_chats";
export type EscalationReason = { code: EscalationReasonCode; count: number | null };

/** What the critical reasons are measured on; null = not readable now (never a reason). */
export type EscalationInput = {
  fxLastApplyFailed: boolean;
  outOfStock: number | null;
  stuck: number | null;
  errors: number | null;
  /** Chats waiting longer than `escalation_unanswered_threshold_hours` (the tick reads it with that threshold). */
  unansweredSevere: number | null;
};

const reached = (count: number | null, min: number): boolean => count !== null && count >= Math.max(1, min);

/** The critical reasons present now, each behind its own toggle, in a fixed order. */
export function escalationReasons(
  s: Pick<
    Settings,
    | "escalation_on_fx_failed"
    | "escalation_on_out_of_stock"
    | "escalation_on_stuck_orders_severe"
    | "escalation_on_errors_spike"
    | "escalation_on_unanswered_chats_severe"
    | "escalation_stuck_orders_min"
    | "escalation_errors_min"
    | "escalation_unanswered_chats_min"
  >,
  i: EscalationInput,
): EscalationReason[] {
  const out: EscalationReason[] = [];
  if (s.escalation_on_fx_failed && i.fxLastApplyFailed) out.push({ code: "fx_failed", count: null });
  if (s.escalation_on_out_of_stock && reached(i.outOfStock, 1)) out.push({ code: "out_of_stock", count: i.outOfStock });
  if (s.escalation_on_stuck_orders_severe && reached(i.stuck, s.escalation_stuck_orders_min))
    out.push({ code: "stuck_orders", count: i.stuck });
  if (s.escalation_on_errors_spike && reached(i.errors, s.escalation_errors_min)) out.push({ code: "errors_spike", count: i.errors });
  if (s.escalation_on_unanswered_chats_severe && reached(i.unansweredSevere, s.escalation_unanswered_chats_min))
    out.push({ code: "unanswered_chats", count: i.unansweredSevere });
  return out;
}

/** An incident is its set of reasons: counts moving does not make it a new incident (or undo an ack). */
export function escalationKey(reasons: readonly EscalationReason[]): string {
  return reasons
    .map((r) => r.code)
    .sort()
    .join("+");
}

type State = Pick<
  Settings,
  | "escalation_last_event_key"
  | "escalation_first_seen_at"
  | "escalation_last_sent_at"
  | "escalation_repeat_count"
  | "escalation_last_ack_key"
  | "escalation_snoozed_until"
  | "escalation_stage1_after_minutes"
  | "escalation_repeat_every_minutes"
  | "escalation_max_repeats"
>;

/** Column changes to apply; only the escalation state columns. */
export type EscalationPatch = {
  escalation_last_event_key: string | null;
  escalation_first_seen_at: Date | null;
  escalation_last_sent_at: Date | null;
  escalation_repeat_count: number;
  /** Cleared on reset: an ack belongs to one incident, and a later one with the same reasons is new. */
  escalation_last_ack_key?: null;
};

export type EscalationSkip = "snoozed" | "acked" | "too_young" | "max_repeats" | "repeat_wait";

export type EscalationStep =
  /** Nothing critical and nothing remembered. */
  | { kind: "idle" }
  /** Nothing critical any more: forget the incident. */
  | { kind: "reset"; patch: EscalationPatch }
  /** A new incident: remember it and when it was first seen; no message yet. */
  | { kind: "remember"; key: string; patch: EscalationPatch }
  | { kind: "skip"; key: string; why: EscalationSkip }
  | { kind: "send"; key: string; stage: number; firstSeenAt: Date; patch: EscalationPatch };

export function escalationStep(s: State, reasons: readonly EscalationReason[], now: Date): EscalationStep {
  if (reasons.length === 0) {
    if (s.escalation_last_event_key === null && s.escalation_repeat_count === 0 && s.escalation_last_ack_key === null)
      return { kind: "idle" };
    return {
      kind: "reset",
      patch: {
        escalation_last_event_key: null,
        escalation_first_seen_at: null,
        escalation_last_sent_at: null,
        escalation_repeat_count: 0,
        escalation_last_ack_key: null,
      },
    };
  }
  const key = escalationKey(reasons);
  if (key !== s.escalation_last_event_key || s.escalation_first_seen_at === null) {
    return {
      kind: "remember",
      key,
      patch: { escalation_last_event_key: key, escalation_first_seen_at: now, escalation_last_sent_at: null, escalation_repeat_count: 0 },
    };
  }
  const t = now.getTime();
  if (s.escalation_snoozed_until && s.escalation_snoozed_until.getTime() > t) return { kind: "skip", key, why: "snoozed" };
  if (s.escalation_last_ack_key === key) return { kind: "skip", key, why: "acked" };
  if (t - s.escalation_first_seen_at.getTime() < s.escalation_stage1_after_minutes * MINUTE) return { kind: "skip", key, why: "too_young" };
  if (s.escalation_repeat_count >= s.escalation_max_repeats) return { kind: "skip", key, why: "max_repeats" };
  if (s.escalation_last_sent_at && t - s.escalation_last_sent_at.getTime() < s.escalation_repeat_every_minutes * MINUTE)
    return { kind: "skip", key, why: "repeat_wait" };
  const stage = s.escalation_repeat_count + 1;
  return {
    kind: "send",
    key,
    stage,
    firstSeenAt: s.escalation_first_seen_at,
    patch: {
      escalation_last_event_key: key,
      escalation_first_seen_at: s.escalation_first_seen_at,
      escalation_last_sent_at: now,
      escalation_repeat_count: stage,
    },
  };
}
