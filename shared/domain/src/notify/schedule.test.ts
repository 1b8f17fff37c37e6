import { describe, expect, it } from "vitest";
import { effectiveTz, isValidTimeZone, localTimeToInstant, nextDigestAt, nextWeeklyAt, parseHHMM } from "./schedule.ts";

// Expected instants are written out by hand from the zones' known offsets: Moscow is UTC+3 all
// year; Berlin is UTC+1 in winter and UTC+2 from 2026-03-29 01:00Z to 2026-10-25 01:00Z.

const digest = (over: Partial<Parameters<typeof nextDigestAt>[0]> = {}) => ({
  digest_enabled: true,
  digest_time_local: "08:30",
  digest_tz: null,
  digest_last_sent_at: null,
  ...over,
});
const weekly = (over: Partial<Parameters<typeof nextWeeklyAt>[0]> = {}) => ({
  weekly_enabled: true,
  weekly_day_of_week: 0,
  weekly_time_local: "09:30",
  weekly_tz: null,
  weekly_last_sent_at: null,
  ...over,
});
const at = (iso: string): Date => new Date(iso);

describe("HH:MM and zones", () => {
  it("parses 24-hour times and rejects the rest", () => {
    expect(parseHHMM("08:30")).toEqual({ hour: 8, minute: 30 });
    expect(parseHHMM("23:59")).toEqual({ hour: 23, minute: 59 });
    for (const bad of ["8:30", "24:00", "12:60", "0830", "", "12:3"]) expect(parseHHMM(bad)).toBeNull();
  });

  it("knows IANA zones and falls back to the shop's", () => {
    expect(isValidTimeZone("Europe/Moscow")).toBe(true);
    expect(isValidTimeZone("UTC")).toBe(true);
    expect(isValidTimeZone("Mars/Olympus")).toBe(false);
    expect(isValidTimeZone("+03:00")).toBe(false);
    expect(effectiveTz(null, "Europe/Moscow")).toBe("Europe/Moscow");
    expect(effectiveTz("Asia/Tokyo", "Europe/Moscow")).toBe("Asia/Tokyo");
    expect(effectiveTz("Mars/Olympus", "Europe/Moscow")).toBe("Europe/Moscow");
  });

  it("turns local wall times into instants across DST", () => {
    expect(localTimeToInstant("2026-07-01", { hour: 9, minute: 0 }, "Europe/Berlin")).toEqual(at("2026-07-01T07:00:00Z"));
    expect(localTimeToInstant("2026-12-01", { hour: 9, minute: 0 }, "Europe/Berlin")).toEqual(at("2026-12-01T08:00:00Z"));
    // 02:30 does not exist on 29 March in Berlin: the clocks jump 02:00 → 03:00 CEST at 01:00Z.
    expect(localTimeToInstant("2026-03-29", { hour: 2, minute: 30 }, "Europe/Berlin")).toEqual(at("2026-03-29T01:00:00Z"));
    // 02:30 happens twice on 25 October: the first one (CEST) counts.
    expect(localTimeToInstant("2026-10-25", { hour: 2, minute: 30 }, "Europe/Berlin")).toEqual(at("2026-10-25T00:30:00Z"));
  });
});

describe("nextDigestAt", () => {
  it("is today's slot before it, now when today's is past and unsent, tomorrow's once sent, null when off", () => {
    expect(nextDigestAt(digest(), at("2026-11-23T05:00:00Z"), "Europe/Moscow")).toEqual(at("2026-11-23T05:30:00Z"));
    expect(nextDigestAt(digest(), at("2026-11-23T07:00:00Z"), "Europe/Moscow")).toEqual(at("2026-11-23T07:00:00Z"));
    const sent = digest({ digest_last_sent_at: at("2026-11-23T05:31:00Z") });
    expect(nextDigestAt(sent, at("2026-11-23T07:00:00Z"), "Europe/Moscow")).toEqual(at("2026-11-24T05:30:00Z"));
    expect(nextDigestAt(digest({ digest_enabled: false }), at("2026-11-23T05:00:00Z"), "Europe/Moscow")).toBeNull();
  });

  it("skips a local day that already had its digest", () => {
    const s = digest({ digest_time_local: "18:00", digest_last_sent_at: at("2026-11-23T06:00:00Z") });
    expect(nextDigestAt(s, at("2026-11-23T10:00:00Z"), "Europe/Moscow")).toEqual(at("2026-11-24T15:00:00Z"));
  });

  it("uses the owner's zone over the shop's and follows DST", () => {
    const spring = digest({ digest_time_local: "09:00", digest_tz: "Europe/Berlin", digest_last_sent_at: at("2026-03-28T08:00:00Z") });
    // Saturday evening before the spring change, Saturday's digest sent: Sunday 09:00 is already CEST.
    expect(nextDigestAt(spring, at("2026-03-28T20:00:00Z"), "Europe/Moscow")).toEqual(at("2026-03-29T07:00:00Z"));
    const autumn = digest({ digest_time_local: "09:00", digest_tz: "Europe/Berlin", digest_last_sent_at: at("2026-10-24T07:00:00Z") });
    expect(nextDigestAt(autumn, at("2026-10-24T20:00:00Z"), "Europe/Moscow")).toEqual(at("2026-10-25T08:00:00Z"));
  });
});

describe("nextWeeklyAt", () => {
  it("is the next chosen weekday at the chosen time", () => {
    // 2026-11-23 is a Monday; Moscow 09:30 = 06:30Z.
    expect(nextWeeklyAt(weekly(), at("2026-11-23T06:00:00Z"), "Europe/Moscow")).toEqual(at("2026-11-23T06:30:00Z"));
    // Past this week's slot with no report this week: it goes at once.
    expect(nextWeeklyAt(weekly(), at("2026-11-25T06:31:00Z"), "Europe/Moscow")).toEqual(at("2026-11-25T06:31:00Z"));
    const sent = weekly({ weekly_last_sent_at: at("2026-11-23T06:30:00Z") });
    expect(nextWeeklyAt(sent, at("2026-11-23T06:31:00Z"), "Europe/Moscow")).toEqual(at("2026-11-30T06:30:00Z"));
    // Sunday = 6.
    expect(nextWeeklyAt(weekly({ weekly_day_of_week: 6 }), at("2026-11-24T06:00:00Z"), "Europe/Moscow")).toEqual(
      at("2026-11-29T06:30:00Z"),
    );
    expect(nextWeeklyAt(weekly({ weekly_enabled: false }), at("2026-11-23T06:00:00Z"), "Europe/Moscow")).toBeNull();
  });

  it("skips an ISO week that already had its report", () => {
    // Sent on Monday 23rd at 08:00 local; moving the slot to Friday does not send twice that week.
    const s = weekly({ weekly_day_of_week: 4, weekly_last_sent_at: at("2026-11-23T05:00:00Z") });
    expect(nextWeeklyAt(s, at("2026-11-24T06:00:00Z"), "Europe/Moscow")).toEqual(at("2026-12-04T06:30:00Z"));
  });
});

describe("a slot in a spring-forward gap", () => {
  it("is the moment the clocks jump, as the scheduler sees it", () => {
    const s = digest({ digest_time_local: "02:30", digest_tz: "Europe/Berlin", digest_last_sent_at: at("2026-03-28T01:30:00Z") });
    expect(nextDigestAt(s, at("2026-03-28T20:00:00Z"), "UTC")).toEqual(at("2026-03-29T01:00:00Z"));
  });
});
