import { addDays, isoWeekday, localDay, localParts, type LocalDay } from "../format/dates.ts";
import type { NotifySettings } from "./settings.ts";

// When the next daily digest and weekly report are due, in the owner's chosen zone (the shop's
// when none is chosen). Pure functions of the settings and "now", so the scheduler and ntf_status
// agree on the same answer. Local wall times are turned into instants with Intl, DST included.

const HHMM = /^([01]\d|2[0-3]):([0-5]\d)$/;

export type LocalTime = { hour: number; minute: number };

/** "08:30" → {hour: 8, minute: 30}; null for anything that is not a 24-hour HH:MM. */
export function parseHHMM(s: string): LocalTime | null {
  const m = HHMM.exec(s.trim());
  return m ? { hour: Number(m[1]), minute: Number(m[2]) } : null;
}

const zoneCache = new Map<string, boolean>();

/** An IANA zone name Intl knows ("Europe/Moscow", "UTC"); offsets and abbreviations are not zones here. */
export function isValidTimeZone(tz: string): boolean {
  let ok = zoneCache.get(tz);
  if (ok === undefined) {
    try {
      new Intl.DateTimeFormat("en-US", { timeZone: tz });
      ok = /^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/.test(tz);
    } catch {
      ok = false;
    }
    zoneCache.set(tz, ok);
  }
  return ok;
}

/** The zone a schedule runs in: the owner's choice, else the shop's. */
export function effectiveTz(tz: string | null | undefined, shopTz: string): string {
  return tz && isValidTimeZone(tz) ? tz : shopTz;
}

function offsetMs(instant: number, tz: string): number {
  const p = localParts(new Date(instant), tz);
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - Math.floor(instant / 1000) * 1000;
}

/**
 * The first instant the local wall clock shows `time` (or later) on a local day. A time that occurs
 * twice (clocks going back) is its first occurrence; a time skipped by clocks going forward is the
 * moment the clocks jump (02:30 on a spring-forward night is 03:00), as the scheduler sees it.
 */
export function localTimeToInstant(day: LocalDay, time: LocalTime, tz: string): Date {
  const [y, mo, d] = day.split("-").map(Number) as [number, number, number];
  const wall = Date.UTC(y, mo - 1, d, time.hour, time.minute);
  const reached = (t: number): boolean => {
    const p = localParts(new Date(t), tz);
    return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute) >= wall;
  };
  const before = wall - offsetMs(wall - 86_400_000, tz);
  const after = wall - offsetMs(wall + 86_400_000, tz);
  const exact = [before, after].filter((t) => {
    const p = localParts(new Date(t), tz);
    return p.day === d && p.hour === time.hour && p.minute === time.minute;
  });
  if (exact.length > 0) return new Date(Math.min(...exact));
  // In a gap: one candidate is still before the jump, the other after it; find the jump to the minute.
  let lo = Math.min(before, after);
  let hi = Math.max(before, after);
  while (hi - lo > 60_000) {
    const mid = lo + Math.floor((hi - lo) / 120_000) * 60_000;
    if (reached(mid)) hi = mid;
    else lo = mid;
  }
  return new Date(hi);
}

/**
 * When the daily digest goes next, by the scheduler's rule (notify/due.ts): once per local day, at
 * or after the slot. So it is `now` when today's slot has passed and today has had no digest yet,
 * else the next slot on a day without one. Null when the digest is off.
 */
export function nextDigestAt(
  s: Pick<NotifySettings, "digest_enabled" | "digest_time_local" | "digest_tz" | "digest_last_sent_at">,
  now: Date,
  shopTz: string,
): Date | null {
  const time = parseHHMM(s.digest_time_local);
  if (!s.digest_enabled || !time) return null;
  const tz = effectiveTz(s.digest_tz, shopTz);
  const sentDay = s.digest_last_sent_at ? localDay(s.digest_last_sent_at, tz) : null;
  const today = localDay(now, tz);
  for (let i = 0; i <= 2; i++) {
    const day = addDays(today, i);
    if (day === sentDay) continue;
    const at = localTimeToInstant(day, time, tz);
    return at > now ? at : now;
  }
  return null;
}

/** Monday of the ISO week a day is in; identifies the week. */
function weekOf(day: LocalDay): LocalDay {
  return addDays(day, 1 - isoWeekday(day));
}

/**
 * When the weekly report goes next, by the scheduler's rule: once per ISO week, at or after the
 * `weekly_day_of_week` (0 = Monday) slot. `now` when this week's slot has passed without a report,
 * else the next slot in a week without one. Null when the weekly report is off.
 */
export function nextWeeklyAt(
  s: Pick<NotifySettings, "weekly_enabled" | "weekly_day_of_week" | "weekly_time_local" | "weekly_tz" | "weekly_last_sent_at">,
  now: Date,
  shopTz: string,
): Date | null {
  const time = parseHHMM(s.weekly_time_local);
  if (!s.weekly_enabled || !time || s.weekly_day_of_week < 0 || s.weekly_day_of_week > 6) return null;
  const tz = effectiveTz(s.weekly_tz, shopTz);
  const sentWeek = s.weekly_last_sent_at ? weekOf(localDay(s.weekly_last_sent_at, tz)) : null;
  const today = localDay(now, tz);
  const thisWeek = weekOf(today);
  for (let w = 0; w <= 2; w++) {
    const week = addDays(thisWeek, 7 * w);
    if (week === sentWeek) continue;
    const at = localTimeToInstant(addDays(week, s.weekly_day_of_week), time, tz);
    return at > now ? at : now;
  }
  return null;
}
