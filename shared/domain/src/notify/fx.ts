import type { Selectable } from "kysely";
import type { OwnerNotifySettings } from "@ownerbot/core/db";
import { cooledDown } from "./due.ts";
import { watchedFxRate, type FxRateLike } from "./fx-rate.ts";

// FX notifications (reference §8): the rate moved enough since the last rate the owner was told
// about, and SIS applied (or failed to apply) an FX reprice. Both read the FX status once per tick.
// DEMO's status (sis_fx_status over demo_fx_rates) has no `last_apply`, so FX apply events and the
// "FX apply failed" reasons of the quiet digest and escalation stay idle in DEMO.

type Settings = Selectable<OwnerNotifySettings>;

const RATE_FIELDS = ["effective_rate", "current_rate", "resolved_rate", "latest_rate", "rate"] as const;

function num(v: unknown): number | null {
  if (typeof v === "number" && Number.isFinite(v)) return v;
  if (typeof v === "string" && v.trim() !== "" && Number.isFinite(Number(v))) return Number(v);
  return null;
}

const str = (v: unknown): string | null => (typeof v === "string" && v.trim() !== "" ? v.trim() : null);

/** The rate the FX delta alert looks at this tick, and whether the stored rate may be compared with it. */
export type FxWatched = {
  rate: number;
  /** The base currency (null for a status that reports one bare rate). */
  base: string | null;
  label: string | null;
  /** Not the stored base (none stored yet, or it is no longer quoted): the stored rate is of another currency. */
  switched: boolean;
};

/**
 * The rate an FX status speaks of: the first numeric of the reference's fields (one bare rate), or,
 * for OwnerBot's own sis_fx_status (one row per base currency), the stored base's row; without a
 * stored base, or when it is no longer quoted, the base that moved most (fx-rate.ts), as
 * ntf_fx_delta_subscribe picks it.
 */
export function fxRateOf(status: unknown, storedBase: string | null = null): FxWatched | null {
  if (typeof status !== "object" || status === null) return null;
  const o = status as Record<string, unknown>;
  for (const f of RATE_FIELDS) {
    const r = num(o[f]);
    if (r !== null) return { rate: r, base: null, label: null, switched: false };
  }
  const rows = (Array.isArray(o["rates"]) ? (o["rates"] as Record<string, unknown>[]) : [])
    .map((r) => ({ base: str(r["base"]), quote: str(r["quote"]) ?? "", rate: num(r["rate"]), prevRate: num(r["prevRate"]) }))
    .filter((r): r is FxRateLike => r.base !== null && r.rate !== null && r.rate > 0);
  if (rows.length === 0) return null;
  const quote = str(o["shopCurrency"]) ?? rows[0]!.quote;
  const w = watchedFxRate(rows, quote, storedBase);
  return w ? { rate: w.rate, base: w.base, label: `${w.base}/${quote}`, switched: w.switched } : null;
}

export type FxDeltaDecision =
  { send: false; why: "no_rate" | "small" | "cooldown" } | { send: true; rate: number; previous: number | null; deltaPct: number | null };

/**
 * Send when there is no comparable previous rate (none told yet, or it was of another base), or
 * |Δ %| ≥ the minimum and the cooldown has passed.
 */
export function fxDeltaDecision(
  s: Pick<Settings, "fx_delta_min_percent" | "fx_delta_cooldown_hours" | "fx_delta_last_notified_rate" | "fx_delta_last_notified_at">,
  watched: Pick<FxWatched, "rate" | "switched"> | null,
  now: Date,
): FxDeltaDecision {
  if (watched === null) return { send: false, why: "no_rate" };
  const rate = watched.rate;
  const prev = s.fx_delta_last_notified_rate === null || watched.switched ? null : Number(s.fx_delta_last_notified_rate);
  if (prev === null || prev === 0) return { send: true, rate, previous: null, deltaPct: null };
  const deltaPct = ((rate - prev) / prev) * 100;
  if (Math.abs(deltaPct) < Number(s.fx_delta_min_percent)) return { send: false, why: "small" };
  if (!cooledDown(s.fx_delta_last_notified_at, s.fx_delta_cooldown_hours, now)) return { send: false, why: "cooldown" };
  return { send: true, rate, previous: prev, deltaPct };
}

export type FxApplyEvent = {
  at: string;
  result: "applied" | "noop" | "failed";
  affected: number | null;
  rate: number | null;
  deltaPct: number | null;
  reason: string | null;
  error: string | null;
  key: string;
};

export type ParsedLastApply = { kind: "absent" } | { kind: "problem"; problem: string } | { kind: "event"; event: FxApplyEvent };

/** Reads `last_apply` (or `lastApply`) of an FX status. */
export function parseLastApply(status: unknown): ParsedLastApply {
  if (typeof status !== "object" || status === null) return { kind: "absent" };
  const o = status as Record<string, unknown>;
  const raw = o["last_apply"] ?? o["lastApply"];
  if (raw === undefined || raw === null) return { kind: "absent" };
  if (typeof raw !== "object") return { kind: "problem", problem: "last_apply is not an object" };
  const a = raw as Record<string, unknown>;
  const at = str(a["at"]) ?? str(a["attempted_at"]) ?? str(a["created_at"]);
  if (at === null) return { kind: "problem", problem: "last_apply has no at/attempted_at/created_at" };
  const result = str(a["result"]);
  if (result !== "applied" && result !== "noop" && result !== "failed")
    return { kind: "problem", problem: `last_apply.result is ${String(result)}` };
  const affected = num(a["affected_count"]);
  const rate = num(a["rate"]);
  const reason = str(a["reason"]);
  const key = [at, result, affected ?? "", rate ?? "", reason ?? ""].join("|").slice(0, 240);
  return {
    kind: "event",
    event: { at, result, affected, rate, deltaPct: num(a["delta_pct"] ?? a["change_pct"]), reason, error: str(a["error"]), key },
  };
}

export type FxApplyDecision = { send: true } | { send: false; why: "muted" | "same_key" | "cooldown" };

/** Send a new event of a subscribed result once the cooldown has passed. */
export function fxApplyDecision(
  s: Pick<
    Settings,
    | "fx_apply_notify_applied"
    | "fx_apply_notify_noop"
    | "fx_apply_notify_failed"
    | "fx_apply_last_seen_key"
    | "fx_apply_last_sent_at"
    | "fx_apply_events_cooldown_hours"
  >,
  e: FxApplyEvent,
  now: Date,
): FxApplyDecision {
  const on = { applied: s.fx_apply_notify_applied, noop: s.fx_apply_notify_noop, failed: s.fx_apply_notify_failed }[e.result];
  if (!on) return { send: false, why: "muted" };
  if (e.key === s.fx_apply_last_seen_key) return { send: false, why: "same_key" };
  if (!cooledDown(s.fx_apply_last_sent_at, s.fx_apply_events_cooldown_hours, now)) return { send: false, why: "cooldown" };
  return { send: true };
}
