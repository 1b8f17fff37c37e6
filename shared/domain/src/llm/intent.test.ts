import { describe, expect, it } from "vitest";
import { ACTION_TOOLS } from "../actions/registry.ts";
import { readTools } from "../tools/index.ts";
import { createCatalogue, paramsLine } from "./catalogue.ts";
import { validateAnswer } from "./intent.ts";
import { mockAnswer } from "./mock.ts";
import { systemPrompt } from "./prompt.ts";
import { z } from "zod";

const cat = createCatalogue({ readTools, actionTools: ACTION_TOOLS, allowedActions: ["notify_team", "flag_order"] });
const answer = (o: Record<string, unknown>): string =>
  JSON.stringify({
    intent_kind: "TOOL",
    tool: null,
    payload_json: null,
    presentation: null,
    advice_topic: null,
    hint: null,
    confidence: 0.9,
    ...o,
  });

describe("planner answer validation", () => {
  it("accepts a read tool with a payload its schema takes", () => {
    expect(validateAnswer(answer({ tool: "revenue_trend", payload_json: '{"days":14}', presentation: "chart" }), cat)).toEqual({
      kind: "tool",
      tool: "revenue_trend",
      action: false,
      input: { days: 14 },
      presentation: "chart",
      confidence: 0.9,
    });
  });
  it("accepts an allowed action, marked as an action (the worker previews it)", () => {
    const p = validateAnswer(answer({ tool: "notify_team", payload_json: '{"message":"склад"}' }), cat);
    expect(p).toMatchObject({ kind: "tool", tool: "notify_team", action: true });
  });
  it("lets an action through that misses only what the parameter wizard asks (a bad value still fails)", () => {
    expect(validateAnswer(answer({ tool: "notify_team", payload_json: "{}" }), cat)).toMatchObject({
      kind: "tool",
      tool: "notify_team",
      input: {},
    });
    expect(validateAnswer(answer({ tool: "flag_order", payload_json: '{"reason":"late"}' }), cat)).toMatchObject({
      kind: "tool",
      tool: "flag_order",
    });
    expect(validateAnswer(answer({ tool: "flag_order", payload_json: '{"reason":7}' }), cat)).toMatchObject({
      kind: "unknown",
      reason: "invalid_payload",
    });
    expect(validateAnswer(answer({ tool: "notify_team", payload_json: '{"message":12}' }), cat)).toMatchObject({
      kind: "unknown",
      reason: "invalid_payload",
    });
  });
  it.each([
    ["not JSON", "вот ответ", "invalid_json"],
    ["schema violated", JSON.stringify({ intent_kind: "TOOL", tool: "kpi_snapshot", confidence: 3 }), "schema_violation"],
    ["extra field", answer({ tool: "kpi_snapshot", extra: 1 }), "schema_violation"],
    ["unknown tool", answer({ tool: "drop_tables" }), "unknown_tool"],
    ["disallowed action", answer({ tool: "sis_prices_bump", payload_json: '{"bump_percent":"5"}' }), "action_not_allowed"],
    ["bad payload", answer({ tool: "revenue_trend", payload_json: '{"days":"много"}' }), "invalid_payload"],
    ["payload not an object", answer({ tool: "revenue_trend", payload_json: "[1]" }), "invalid_payload"],
    ["tool kind without a tool", answer({}), "schema_violation"],
  ])("%s → unknown (%s)", (_n, raw, reason) => {
    expect(validateAnswer(raw, cat)).toMatchObject({ kind: "unknown", reason });
  });
  it("keeps the model's hint on UNKNOWN and the topic on ADVICE", () => {
    expect(validateAnswer(answer({ intent_kind: "UNKNOWN", hint: "спросите про выручку" }), cat)).toEqual({
      kind: "unknown",
      reason: "no_match",
      hint: "спросите про выручку",
    });
    expect(validateAnswer(answer({ intent_kind: "ADVICE", advice_topic: "PROMO_STRATEGY" }), cat)).toMatchObject({
      kind: "advice",
      topic: "PROMO_STRATEGY",
    });
  });
});

describe("catalogue and prompt", () => {
  it("lists read tools and only the allowed actions, with parameters from the zod schemas", () => {
    const names = cat.tools.map((t) => t.name);
    expect(names).toContain("kpi_snapshot");
    expect(names).toContain("notify_team");
    expect(names).not.toContain("sis_prices_bump");
    expect(paramsLine(z.object({ days: z.number().int().min(1).max(60), preset: z.enum(["wow", "mom"]).optional() }))).toBe(
      'days: integer 1..60; preset?: "wow"|"mom"',
    );
    const prompt = systemPrompt(cat, { currency: "RUB", timeZone: "Europe/Moscow" });
    expect(prompt).toMatch(/^- revenue_trend \(read; Динамика выручки\): days\?: /m);
    expect(prompt).toMatch(/Валюта магазина: RUB/);
  });
});

describe("MOCK planner", () => {
  it.each([
    ["покажи хиты", "top_products"],
    ["как поживает магазин, как дела у нас идут", "kpi_compare"],
    ["шепни команде: проверьте склад", "notify_team"],
    ["что у нас кончается на складе", "inventory_status"],
  ])("%s → %s, deterministically", (text, tool) => {
    const a = mockAnswer(text);
    expect(a).toEqual(mockAnswer(text));
    expect(validateAnswer(JSON.stringify(a), cat)).toMatchObject({ kind: "tool", tool });
  });
  it("advice and unknown", () => {
    expect(validateAnswer(JSON.stringify(mockAnswer("дай идеи по акциям")), cat)).toMatchObject({
      kind: "advice",
      topic: "PROMO_STRATEGY",
    });
    expect(validateAnswer(JSON.stringify(mockAnswer("абракадабра")), cat)).toMatchObject({ kind: "unknown", reason: "no_match" });
  });
});
