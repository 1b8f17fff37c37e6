import { describe, expect, it } from "vitest";
import { keyHash, opsAlertDecision, opsDedupeKey, type OpsKeySource } from "./ops-alerts.ts";

const part = (count: number | null, ids: string[], field = "orderId") => ({ count, top: ids.map((id) => ({ [field]: id })) });
const snap: OpsKeySource = {
  unanswered: part(2, ["TH-1", "TH-2"], "threadId"),
  stuck: part(5, ["OB-1", "OB-2", "OB-3"]),
  payment: part(0, []),
  errors: { count: 1, top: [{ id: 77 }] },
  outOfStock: part(4, ["P-1", "P-2", "P-3"], "productId"),
  lowStock: part(null, []),
};

describe("ops alert dedupe key", () => {
  it("is counts, at most eight top ids and the UTC hour", () => {
    const key = opsDedupeKey(snap, new Date("2026-11-23T09:59:59Z"));
    expect(key).toBe("unanswered=2,stuck=5,payment=0,errors=1,outOfStock=4,lowStock=x|TH-1,TH-2,OB-1,OB-2,OB-3,77,P-1,P-2|2026-11-23T09");
    expect(opsDedupeKey(snap, new Date("2026-11-23T10:00:00Z"))).not.toBe(key);
    expect(keyHash(key)).toMatch(/^[0-9a-f]{16}$/);
    expect(keyHash(key)).toBe(keyHash(opsDedupeKey(snap, new Date("2026-11-23T09:00:00Z"))));
  });
});

describe("ops alert decision", () => {
  const now = new Date("2026-11-23T12:00:00Z");
  const s = { ops_alerts_last_seen_key: null as string | null, ops_alerts_last_sent_at: null as Date | null, ops_alerts_cooldown_hours: 6 };

  it("sends a changed key after the cooldown, never the same key, never when nothing fires", () => {
    expect(opsAlertDecision(s, "k1", 2, now)).toEqual({ send: true });
    expect(opsAlertDecision(s, "k1", 0, now)).toEqual({ send: false, why: "nothing_fires" });
    const sent = { ...s, ops_alerts_last_seen_key: "k1", ops_alerts_last_sent_at: new Date("2026-11-23T06:00:01Z") };
    expect(opsAlertDecision(sent, "k1", 2, new Date("2026-11-24T12:00:00Z"))).toEqual({ send: false, why: "same_key" });
    expect(opsAlertDecision(sent, "k2", 2, now)).toEqual({ send: false, why: "cooldown" });
    expect(opsAlertDecision(sent, "k2", 2, new Date("2026-11-23T12:00:01Z"))).toEqual({ send: true });
  });
});
