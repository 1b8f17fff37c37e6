import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestEnv, type TestEnv } from "@ownerbot/testkit/harness";
import { jsonParam } from "./sql.ts";

let t: TestEnv;
beforeAll(async () => {
  t = await createTestEnv();
});
afterAll(async () => t?.close());

describe("jsonParam", () => {
  // A Bot API update may carry these (a lone surrogate arrives JSON-escaped); Postgres refuses
  // them in jsonb, and a refused batch would stop the ingress on it for good.
  it.each([
    ["NUL", "a\u0000b", "a\uFFFDb"],
    ["lone high surrogate", "a\ud800b", "a\uFFFDb"],
    ["lone low surrogate", "\udfff", "\uFFFD"],
    ["swapped pair", "\udc00\ud800", "\uFFFD\uFFFD"],
    ["a real pair stays", "😀 \ud83d\ude00", "😀 😀"],
  ])("%s is stored in jsonb", async (_name, input, stored) => {
    const { rows } = await t.pool.query<{ j: { text: string } }>("SELECT $1::jsonb AS j", [jsonParam({ text: input })]);
    expect(rows[0]!.j.text).toBe(stored);
  });

  it("leaves a backslash-u written by a person alone", () => {
    expect(JSON.parse(jsonParam({ text: "\\ud800 \\u0000" }))).toEqual({ text: "\\ud800 \\u0000" });
  });
});
