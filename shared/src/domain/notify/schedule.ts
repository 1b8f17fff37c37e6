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
 * The instant a local wall time happens on a local day. A time that occurs twice (clocks going
 * back) is its first occurrence; a time skipped by clocks going forward moves forward by the gap
 * (02:30 on a spring-forward night is 03:30), so a slot is never lost.
 */
export function localTimeToInstant(day: LocalDay, time: LocalTime, tz: string): Date {
  const [y, mo, d] = day.split("-").map(Number) as [number, number, number];
  const wall = Date.UTC(y, mo - 1, d, time.hour, time.minute);
  const before = wall - offsetMs(wall - 86_400_000, tz);
  const after = wall - offsetMs(wall + 86_400_000, tz);
  const matches = [before, after].filter((t) => {
    const p = localParts(new Date(t), tz);
    return p.hour === time.hour && p.minute === time.minute && p.day === d;
  });
  return new Date(matches.length > 0 ? Math.min(...matches) : before);
}

/**
 * The next daily digest: the first slot after `now` on a local day that has not had its digest yet
 * (the digest goes once per local day). Null when the digest is off.
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
    if (at > now) return at;
  }
  return null;
}

/** Monday of the ISO week a day is in; identifies the week. */
function weekOf(day: LocalDay): LocalDay {
  return addDays(day, 1 - isoWeekday(day));
}

/**
 * The next weekly report: the first `weekly_day_of_week` (0 = Monday) slot after `now` in an ISO
 * week that has not had its report yet. Null when the weekly report is off.
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
  for (let i = 0; i <= 14; i++) {
    const day = addDays(today, i);
    if (isoWeekday(day) - 1 !== s.weekly_day_of_week || weekOf(day) === sentWeek) continue;
    const at = localTimeToInstant(day, time, tz);
    if (at > now) return at;
  }
  return null;
}
