import { describe, expect, it } from "vitest";
import { backoffMs, RetryLater, rowBackoffStrategy } from "./backoff.ts";
import { createOutcomes } from "./outcomes.ts";

describe("backoff", () => {
  const p = { baseMs: 500, maxMs: 15_000 };
  it("doubles per attempt, is capped, and jitters by ±20 %", () => {
    expect([1, 2, 3, 4].map((a) => backoffMs(p, a, () => 0.5))).toEqual([500, 1000, 2000, 4000]);
    expect(backoffMs(p, 30, () => 0.5)).toBe(15_000);
    expect(backoffMs(p, 1, () => 0)).toBe(400);
    expect(backoffMs(p, 1, () => 0.999_999)).toBe(600);
  });
  it("lets a row's own delay win in BullMQ's strategy", () => {
    const s = rowBackoffStrategy(p);
    expect(s(3, "row", new RetryLater("x", 1234))).toBe(1234);
    const fallback = Number(s(1, "row", new Error("boom")));
    expect(fallback).toBeGreaterThanOrEqual(400);
    expect(fallback).toBeLessThanOrEqual(600);
  });
});

describe("outcomes", () => {
  it("hands each outcome to its job once and forgets old ones", () => {
    let now = 0;
    const o = createOutcomes(() => now);
    o.set(1, { kind: "done" });
    o.set(2, { kind: "dead", error: "x" });
    expect(o.take(1)).toEqual({ kind: "done" });
    expect(o.take(1)).toBeUndefined();
    now = 200_000;
    o.set(3, { kind: "done" });
    // Row 2's job ran elsewhere: its outcome expired, and the row itself is asked instead.
    expect(o.take(2)).toBeUndefined();
    expect(o.size).toBe(1);
  });
});
