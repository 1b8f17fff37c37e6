import { describe, expect, it } from "vitest";
import { cooledDown, digestDue, isoWeek, parseHhMm, quietDigestReasons, weeklyDue, type QuietFacts } from "./due.ts";

// Instants are written in UTC with the Berlin wall time beside them (CET = UTC+1, CEST = UTC+2;
// 2026: spring forward 29 March 02:00 → 03:00, fall back 25 October 03:00 → 02:00).

const at = (iso: string): Date => new Date(iso);
const digest = {
  digest_enabled: true,
  digest_time_local: "09:00",
  digest_tz: "Europe/Berlin" as string | null,
  digest_last_sent_at: null as Date | null,
  digest_quiet_enabled: false,
  digest_quiet_attempt_interval_minutes: 60,
  digest_last_attempt_at: null as Date | null,
};

describe("daily digest", () => {
  it("is due once per local day at or after the time", () => {
    expect(digestDue(digest, at("2026-11-23T07:59:00Z"), "UTC")).toEqual({ due: false }); // 08:59 CET
    expect(digestDue(digest, at("2026-11-23T08:00:00Z"), "UTC")).toEqual({
      due: true,
      day: "2026-11-23",
      tz: "Europe/Berlin",
      quiet: false,
    });
    const sent = { ...digest, digest_last_sent_at: at("2026-11-23T08:00:05Z") };
    expect(digestDue(sent, at("2026-11-23T22:59:00Z"), "UTC").due).toBe(false); // 23:59 the same day
    expect(digestDue(sent, at("2026-11-23T23:00:00Z"), "UTC").due).toBe(false); // 00:00 next day, before 09:00
    expect(digestDue(sent, at("2026-11-24T08:00:00Z"), "UTC")).toMatchObject({ due: true, day: "2026-11-24" });
  });

  it("uses the shop's zone when the owner set none, and is off when disabled", () => {
    const shopTz = { ...digest, digest_tz: null };
    // 09:00 in Moscow (UTC+3) is 06:00 UTC.
    expect(digestDue(shopTz, at("2026-11-23T05:59:00Z"), "Europe/Moscow").due).toBe(false);
    expect(digestDue(shopTz, at("2026-11-23T06:00:00Z"), "Europe/Moscow")).toMatchObject({ due: true, tz: "Europe/Moscow" });
    expect(digestDue({ ...digest, digest_enabled: false }, at("2026-11-23T12:00:00Z"), "UTC").due).toBe(false);
  });

  it("takes a slot inside the spring-forward gap at 03:00 and sends once", () => {
    const gap = { ...digest, digest_time_local: "02:30" };
    expect(digestDue(gap, at("2026-03-29T00:59:00Z"), "UTC").due).toBe(false); // 01:59 CET
    expect(digestDue(gap, at("2026-03-29T01:00:00Z"), "UTC")).toMatchObject({ due: true, day: "2026-03-29" }); // 03:00 CEST
  });

  it("does not send twice in the repeated autumn hour", () => {
    const slot = { ...digest, digest_time_local: "02:30" };
    const first = at("2026-10-25T00:30:00Z"); // 02:30 CEST
    expect(digestDue(slot, first, "UTC")).toMatchObject({ due: true, day: "2026-10-25" });
    const sent = { ...slot, digest_last_sent_at: first };
    expect(digestDue(sent, at("2026-10-25T01:30:00Z"), "UTC").due).toBe(false); // 02:30 CET, same local day
    expect(digestDue(sent, at("2026-10-26T01:30:00Z"), "UTC")).toMatchObject({ due: true, day: "2026-10-26" }); // 02:30 CET next day
  });

  it("quiet digest: retries every interval that day until one is sent", () => {
    const quiet = { ...digest, digest_quiet_enabled: true, digest_quiet_attempt_interval_minutes: 60 };
    expect(digestDue(quiet, at("2026-11-23T08:00:00Z"), "UTC")).toMatchObject({ due: true, quiet: true });
    const tried = { ...quiet, digest_last_attempt_at: at("2026-11-23T08:00:00Z") };
    expect(digestDue(tried, at("2026-11-23T08:59:59Z"), "UTC").due).toBe(false);
    expect(digestDue(tried, at("2026-11-23T09:00:00Z"), "UTC")).toMatchObject({ due: true, quiet: true });
    // An attempt late yesterday does not hold back today's first attempt.
    const lateYesterday = { ...quiet, digest_last_attempt_at: at("2026-11-22T22:50:00Z") };
    expect(digestDue(lateYesterday, at("2026-11-23T08:00:00Z"), "UTC").due).toBe(true);
  });
});

describe("quiet digest rules", () => {
  const s = {
    digest_quiet_min_revenue_drop_pct: 8,
    digest_quiet_min_orders_drop_pct: 10,
    digest_quiet_send_on_ops: true,
    digest_quiet_send_on_errors: true,
    digest_quiet_send_on_fx_failed: true,
    digest_quiet_max_silence_days: 7,
    digest_last_sent_at: at("2026-11-20T08:00:00Z") as Date | null,
    ops_errors_min_count: 1,
  };
  const calm: QuietFacts = { revenueWowPct: -7.99, ordersWowPct: -9.99, opsHits: 0, errors: 0, fxLastApplyFailed: false };
  const now = at("2026-11-23T08:00:00Z");

  it("skips a calm day and names every reason that fires", () => {
    expect(quietDigestReasons(s, calm, now)).toEqual([]);
    expect(quietDigestReasons(s, { ...calm, revenueWowPct: -8 }, now)).toEqual(["revenue_drop"]);
    expect(quietDigestReasons(s, { ...calm, ordersWowPct: -10 }, now)).toEqual(["orders_drop"]);
    expect(quietDigestReasons(s, { ...calm, opsHits: 2, errors: 1, fxLastApplyFailed: true }, now)).toEqual(["ops", "errors", "fx_failed"]);
    expect(quietDigestReasons({ ...s, digest_quiet_send_on_ops: false }, { ...calm, opsHits: 2 }, now)).toEqual([]);
    expect(quietDigestReasons(s, { ...calm, revenueWowPct: null, ordersWowPct: null, errors: null }, now)).toEqual([]);
  });

  it("sends a heartbeat after the silence limit (exactly 7 days) or when nothing was ever sent", () => {
    expect(quietDigestReasons(s, calm, at("2026-11-27T07:59:59Z"))).toEqual([]);
    expect(quietDigestReasons(s, calm, at("2026-11-27T08:00:00Z"))).toEqual(["heartbeat"]);
    expect(quietDigestReasons({ ...s, digest_last_sent_at: null }, calm, now)).toEqual(["heartbeat"]);
  });
});

describe("weekly report", () => {
  const weekly = {
    weekly_enabled: true,
    weekly_day_of_week: 0,
    weekly_time_local: "09:30",
    weekly_tz: "Europe/Berlin" as string | null,
    weekly_last_sent_at: null as Date | null,
  };

  it("numbers ISO weeks, the year of their Thursday included", () => {
    expect(isoWeek("2026-11-23")).toBe("2026-W48");
    expect(isoWeek("2027-01-01")).toBe("2026-W53"); // a Friday; 2026 began on a Thursday
    expect(isoWeek("2025-12-29")).toBe("2026-W01"); // the Monday of the week holding 1 January 2026
  });

  it("is due once per ISO week after the slot, and later in the week if it was missed", () => {
    expect(weeklyDue(weekly, at("2026-11-23T08:29:00Z"), "UTC").due).toBe(false); // Mon 09:29 CET
    expect(weeklyDue(weekly, at("2026-11-23T08:30:00Z"), "UTC")).toEqual({
      due: true,
      week: "2026-W48",
      day: "2026-11-23",
      tz: "Europe/Berlin",
    });
    const sent = { ...weekly, weekly_last_sent_at: at("2026-11-23T08:30:10Z") };
    expect(weeklyDue(sent, at("2026-11-29T22:00:00Z"), "UTC").due).toBe(false); // Sun 23:00
    expect(weeklyDue(sent, at("2026-11-30T08:30:00Z"), "UTC")).toMatchObject({ due: true, week: "2026-W49" });
    // The scheduler was down on Monday: Wednesday still sends this week's report.
    expect(weeklyDue(weekly, at("2026-11-25T12:00:00Z"), "UTC")).toMatchObject({ due: true, week: "2026-W48" });
    // Friday slot: not due on Thursday.
    expect(weeklyDue({ ...weekly, weekly_day_of_week: 4 }, at("2026-11-26T12:00:00Z"), "UTC").due).toBe(false);
  });

  it("keeps the local slot across the autumn DST change", () => {
    // Monday 26 October 2026 is the first Monday after the change: 09:30 CET = 08:30 UTC.
    const lastWeek = { ...weekly, weekly_last_sent_at: at("2026-10-19T07:30:00Z") };
    expect(weeklyDue(lastWeek, at("2026-10-26T08:29:00Z"), "UTC").due).toBe(false);
    expect(weeklyDue(lastWeek, at("2026-10-26T08:30:00Z"), "UTC")).toMatchObject({ due: true, week: "2026-W44" });
  });
});

describe("helpers", () => {
  it("parses HH:MM and tests cooldowns", () => {
    expect(parseHhMm("09:30")).toBe(570);
    expect(parseHhMm("24:00")).toBeNull();
    expect(cooledDown(null, 6, at("2026-11-23T00:00:00Z"))).toBe(true);
    expect(cooledDown(at("2026-11-23T00:00:00Z"), 6, at("2026-11-23T05:59:59Z"))).toBe(false);
    expect(cooledDown(at("2026-11-23T00:00:00Z"), 6, at("2026-11-23T06:00:00Z"))).toBe(true);
  });
});
