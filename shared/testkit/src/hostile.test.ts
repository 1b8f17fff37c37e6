import { describe, expect, it } from "vitest";
import { replyProblems, secretForms } from "./hostile-checks.ts";
import { clipUtf8, forgedCallback, HOSTILE_TEXTS, outOfRangeData, seededRandom, unknownTokenData } from "./hostile.ts";

/** The worker's callback_data format, `<22-char token>:<index up to 3 digits>`. */
function parseCallbackData(data: string): { token: string; index: number } | null {
  const m = /^([A-Za-z0-9_-]{22}):(\d{1,3})$/.exec(data);
  return m ? { token: m[1]!, index: Number(m[2]) } : null;
}

describe("hostile corpus", () => {
  it("has about 150 distinct texts, each with a unique name", () => {
    expect(HOSTILE_TEXTS.length).toBeGreaterThanOrEqual(150);
    expect(new Set(HOSTILE_TEXTS.map((h) => h.name)).size).toBe(HOSTILE_TEXTS.length);
    expect(new Set(HOSTILE_TEXTS.map((h) => h.text)).size).toBe(HOSTILE_TEXTS.length);
    const lengths = HOSTILE_TEXTS.map((h) => h.text.length);
    expect(lengths).toContain(4096);
    expect(lengths).toContain(4097);
    expect(lengths).toContain(10_000);
  });

  it("forged callback_data fits Telegram's 64 bytes and never names a live keyboard's button", () => {
    const rnd = seededRandom(42);
    const live = { token: "A".repeat(22), buttons: 3 };
    const pools = { live: [live], foreign: ["B".repeat(22) + ":0"], expired: ["C".repeat(22) + ":1"] };
    for (let i = 0; i < 5000; i++) {
      const { data } = forgedCallback(rnd, pools);
      expect(Buffer.byteLength(data)).toBeLessThanOrEqual(64);
      const parsed = parseCallbackData(data);
      if (parsed?.token === live.token) expect(parsed.index).toBeGreaterThanOrEqual(live.buttons);
    }
    expect(parseCallbackData(unknownTokenData(rnd))).not.toBeNull();
    expect(parseCallbackData(outOfRangeData(() => 0, live.token, 3))).toEqual({ token: live.token, index: 3 });
    expect(clipUtf8("я".repeat(40))).toBe("я".repeat(32));
  });
});

describe("replyProblems", () => {
  it("flags internals and over-long texts, but not a word the owner typed", () => {
    expect(replyProblems("выручка", "Итого: NaN ₽")).toEqual(["NaN"]);
    expect(replyProblems("выручка за NaN дней", "Не понял период «NaN дней»")).toEqual([]);
    expect(replyProblems("x", "Error\n    at run (/work/main/shared/src/a.ts:1:2)")).toEqual(["stack trace", "file path"]);
    expect(replyProblems("x", "UPSTREAM_UNAVAILABLE")).toEqual(["raw error code"]);
    expect(replyProblems("x", "[object Object]")).toEqual(["[object Object]"]);
    expect(replyProblems("x", "а".repeat(4097))).toEqual(["longer than 4096 (4097)"]);
    expect(replyProblems("x", "token 123:secret-part", secretForms(["123:secret-part"]))).toEqual(["a secret"]);
    expect(secretForms(["123:abcdefghij", ""])).toEqual(["123:abcdefghij", "abcdefghij"]);
  });
});
