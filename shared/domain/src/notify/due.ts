import type { Selectable } from "kysely";
import type { OwnerNotifySettings } from "@ownerbot/core/db";
import { addDays, dayDiff, isoWeekday, localDay, localParts, type LocalDay } from "../format/dates.ts";

// When the daily digest, the quiet digest and the weekly report are due (reference §8). Pure: the
// scheduler passes the owner's settings row, the instant and the shop's time zone. Local times come
// from Intl in the owner's zone, so a DST change neither skips nor repeats a day: the decision is
// "has this local day (or ISO week) had its message yet", never "is it exactly 09:00".

type Settings = Selectable<OwnerNotifySettings>;

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;

/** "09:30" → 570; anything else → null (the table's CHECK keeps bad values out). */
export function parseHhMm(s: string): number | null {
  const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(s);
  return m ? Number(m[1]) * 60 + Number(m[2]) : null;
}

/** Minutes since local midnight on the wall clock of `tz`. */
function localMinutes(now: Date, tz: string): number {
  const p = localParts(now, tz);
  return p.hour * 60 + p.minute;
}

/** ISO 8601 week of a local day, e.g. "2026-W48" (the week belongs to the year of its Thursday). */
export function isoWeek(day: LocalDay): string {
  const thursday = addDays(day, 4 - isoWeekday(day));
  const year = thursday.slice(0, 4);
  const week = 1 + Math.floor(dayDiff(`${year}-01-01`, thursday) / 7);
  return `${year}-W${String(week).padStart(2, "0")}`;
}

export type DigestDue = { due: false } | { due: true; day: LocalDay; tz: string; quiet: boolean };

/**
 * The daily digest is due once per local day, at or after `digest_time_local`. A slot that falls in
 * a spring-forward gap (02:30 on a day that jumps 02:00 → 03:00) is taken at 03:00; an hour repeated
 * in autumn cannot send twice because the day already has its digest. With the quiet digest on,
 * attempts repeat every `digest_quiet_attempt_interval_minutes` until one is sent that day.
 */
export function digestDue(
  s: Pick<
    Settings,
    | "digest_enabled"
    | "digest_time_local"
    | "digest_tz"
    | "digest_last_sent_at"
    | "digest_quiet_enabled"
    | "digest_quiet_attempt_interval_minutes"
    | "digest_last_attempt_at"
  >,
  now: Date,
  shopTz: string,
): DigestDue {
  if (!s.digest_enabled) return { due: false };
  const tz = s.digest_tz ?? shopTz;
  const slot = parseHhMm(s.digest_time_local);
  if (slot === null || localMinutes(now, tz) < slot) return { due: false };
  const day = localDay(now, tz);
  if (s.digest_last_sent_at && localDay(s.digest_last_sent_at, tz) === day) return { due: false };
  if (!s.digest_quiet_enabled) return { due: true, day, tz, quiet: false };
  const last = s.digest_last_attempt_at;
  if (last && localDay(last, tz) === day && now.getTime() - last.getTime() < s.digest_quiet_attempt_interval_minutes * MINUTE)
    return { due: false };
  return { due: true, day, tz, quiet: true };
}

/** What the quiet digest looks at; null = that number could not be read (it then never triggers). */
export type QuietFacts = {
  revenueWowPct: number | null;
  ordersWowPct: number | null;
  /** How many ops rules fire on the snapshot. */
  opsHits: number;
  errors: number | null;
  fxLastApplyFailed: boolean;
};

export type QuietReason = "revenue_drop" | "orders_drop" | "ops" | "errors" | "fx_failed" | "heartbeat";

/**
 * Send or skip a quiet digest. Heartbeat: nothing sent for `digest_quiet_max_silence_days` days (or
 * never), so the owner still hears that the bot is alive.
 */
export function quietDigestReasons(
  s: Pick<
    Settings,
    | "digest_quiet_min_revenue_drop_pct"
    | "digest_quiet_min_orders_drop_pct"
    | "digest_quiet_send_on_ops"
    | "digest_quiet_send_on_errors"
    | "digest_quiet_send_on_fx_failed"
    | "digest_quiet_max_silence_days"
    | "digest_last_sent_at"
    | "ops_errors_min_count"
  >,
  f: QuietFacts,
  now: Date,
): QuietReason[] {
  const out: QuietReason[] = [];
  if (f.revenueWowPct !== null && f.revenueWowPct <= -Number(s.digest_quiet_min_revenue_drop_pct)) out.push("revenue_drop");
  if (f.ordersWowPct !== null && f.ordersWowPct <= -Number(s.digest_quiet_min_orders_drop_pct)) out.push("orders_drop");
  if (s.digest_quiet_send_on_ops && f.opsHits > 0) out.push("ops");
  if (s.digest_quiet_send_on_errors && f.errors !== null && f.errors >= Math.max(1, s.ops_errors_min_count)) out.push("errors");
  if (s.digest_quiet_send_on_fx_failed && f.fxLastApplyFailed) out.push("fx_failed");
  const last = s.digest_last_sent_at;
  if (!last || now.getTime() - last.getTime() >= s.digest_quiet_max_silence_days * DAY) out.push("heartbeat");
  return out;
}

export type WeeklyDue = { due: false } | { due: true; week: string; day: LocalDay; tz: string };

/** Once per ISO week (local), at or after the weekday (Monday = 0) and time of the slot. */
export function weeklyDue(
  s: Pick<Settings, "weekly_enabled" | "weekly_day_of_week" | "weekly_time_local" | "weekly_tz" | "weekly_last_sent_at">,
  now: Date,
  shopTz: string,
): WeeklyDue {
  if (!s.weekly_enabled) return { due: false };
  const tz = s.weekly_tz ?? shopTz;
  const slot = parseHhMm(s.weekly_time_local);
  if (slot === null) return { due: false };
  const day = localDay(now, tz);
  const weekday = isoWeekday(day) - 1;
  if (weekday < s.weekly_day_of_week || (weekday === s.weekly_day_of_week && localMinutes(now, tz) < slot)) return { due: false };
  const week = isoWeek(day);
  if (s.weekly_last_sent_at && isoWeek(localDay(s.weekly_last_sent_at, tz)) === week) return { due: false };
  return { due: true, week, day, tz };
}

/** True when `last` is older than `hours` (or absent): the common cooldown test of §8. */
export function cooledDown(last: Date | null, hours: number, now: Date): boolean {
  return last === null || now.getTime() - last.getTime() >= hours * HOUR;
}
