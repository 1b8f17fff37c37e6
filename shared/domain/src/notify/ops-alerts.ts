import { createHash } from "node:crypto";
import type { Selectable } from "kysely";
import type { OwnerNotifySettings } from "@ownerbot/core/db";
import { cooledDown } from "./due.ts";
import type { OrderPreset } from "../tools/provider.ts";

// Ops alerts (reference §8): a short message when an ops rule fires, deduplicated by a key made of
// the counts, at most eight ids of the top items and the UTC hour, and held back by a cooldown.

type Settings = Selectable<OwnerNotifySettings>;

/** The parts of an ops snapshot the key is made of (digest/ops-snapshot.ts `OpsSnapshot` fits). */
type Part = { count: number | null; top: readonly unknown[] };
export type OpsKeySource = { unanswered: Part; stuck: Part; payment: Part; errors: Part; outOfStock: Part; lowStock: Part };

const PARTS = ["unanswered", "stuck", "payment", "errors", "outOfStock", "lowStock"] as const;
export const MAX_KEY_IDS = 8;

function idOf(item: unknown): string | null {
  if (typeof item !== "object" || item === null) return null;
  const o = item as Record<string, unknown>;
  const id = o["threadId"] ?? o["orderId"] ?? o["productId"] ?? o["id"];
  return typeof id === "string" || typeof id === "number" ? String(id) : null;
}

/** `u=1,s=3,…|OB-1,TH-2,…|2026-11-23T09`: counts (x = unreadable), ≤ 8 top ids, UTC hour bucket. */
export function opsDedupeKey(snapshot: OpsKeySource, now: Date): string {
  const counts = PARTS.map((p) => `${p}=${snapshot[p].count ?? "x"}`).join(",");
  const ids = PARTS.flatMap((p) => snapshot[p].top.map(idOf)).filter((x): x is string => x !== null);
  return `${counts}|${ids.slice(0, MAX_KEY_IDS).join(",")}|${now.toISOString().slice(0, 13)}`;
}

/** A short stable hash for outbox causes (the key itself can be long). */
export function keyHash(key: string): string {
  return createHash("sha256").update(key).digest("hex").slice(0, 16);
}

export type OpsAlertDecision = { send: true } | { send: false; why: "nothing_fires" | "same_key" | "cooldown" };

/** Send when a rule fires, the key differs from the last one sent and the cooldown has passed. */
export function opsAlertDecision(
  s: Pick<Settings, "ops_alerts_last_seen_key" | "ops_alerts_last_sent_at" | "ops_alerts_cooldown_hours">,
  key: string,
  hits: number,
  now: Date,
): OpsAlertDecision {
  if (hits === 0) return { send: false, why: "nothing_fires" };
  if (key === s.ops_alerts_last_seen_key) return { send: false, why: "same_key" };
  if (!cooledDown(s.ops_alerts_last_sent_at, s.ops_alerts_cooldown_hours, now)) return { send: false, why: "cooldown" };
  return { send: true };
}

const PRESETS: readonly OrderPreset[] = ["stuck", "late_ship", "payment_issues"];
/** A stored preset name, or the rule's own when the column holds something orders_search does not know. */
const presetOr = (v: string, fallback: OrderPreset): OrderPreset =>
  (PRESETS as readonly string[]).includes(v) ? (v as OrderPreset) : fallback;

/** The owner's ops rules as digest/ops-snapshot.ts `OpsRules`, including which order presets two of them count. */
export function opsRulesOf(s: Settings) {
  return {
    stuckPreset: presetOr(s.ops_stuck_orders_preset, "stuck"),
    paymentPreset: presetOr(s.ops_payment_issues_preset, "payment_issues"),
    unansweredEnabled: s.ops_unanswered_enabled,
    unansweredThresholdHours: s.ops_unanswered_threshold_hours,
    unansweredMinCount: s.ops_unanswered_min_count,
    stuckEnabled: s.ops_stuck_orders_enabled,
    stuckMinCount: s.ops_stuck_orders_min_count,
    paymentEnabled: s.ops_payment_issues_enabled,
    paymentMinCount: s.ops_payment_issues_min_count,
    errorsEnabled: s.ops_errors_enabled,
    errorsWindowHours: s.ops_errors_window_hours,
    errorsMinCount: s.ops_errors_min_count,
    outOfStockEnabled: s.ops_out_of_stock_enabled,
    outOfStockMinCount: s.ops_out_of_stock_min_count,
    lowStockEnabled: s.ops_low_stock_enabled,
    lowStockLte: s.ops_low_stock_lte,
    lowStockMinCount: s.ops_low_stock_min_count,
  };
}
