import { describe, expect, it } from "vitest";
import type { Button, ButtonAction, Reply } from "../contract.ts";
import { parseNavTarget } from "../ui/nav.ts";
import { CTX } from "./fixtures.ts";
import { routeText } from "./route.ts";
import { KNOWN_TOOLS } from "./tool-names.ts";
import type { Intent } from "./types.ts";

// Ambiguous and unknown requests get a short question or hint with buttons, never silence; each
// button is a complete tool call or a known navigation target.

function reply(intent: Intent, kind: "clarify" | "unknown"): Reply {
  expect(intent.kind).toBe(kind);
  if (intent.kind !== kind) throw new Error("unreachable");
  return intent.reply;
}

function actions(r: Reply): ButtonAction[] {
  return (r.buttons ?? []).flat().flatMap((b: Button) => ("action" in b ? [b.action] : []));
}

const toolActions = (r: Reply): { tool: string; input: Record<string, unknown> }[] =>
  actions(r).flatMap((a) => (a.t === "tool" ? [{ tool: a.tool, input: a.input }] : []));

describe("clarify", () => {
  it("'продажи' alone offers today, yesterday and a 7-day trend", () => {
    const r = reply(routeText("продажи", CTX), "clarify");
    expect(toolActions(r)).toEqual([
      { tool: "kpi_snapshot", input: { day: "2026-11-23" } },
      { tool: "kpi_snapshot", input: { day: "2026-11-22" } },
      { tool: "revenue_trend", input: { days: 7 } },
    ]);
  });

  it("'выручка' alone asks the same question", () => {
    expect(toolActions(reply(routeText("выручка", CTX), "clarify")).map((a) => a.tool)).toEqual([
      "kpi_snapshot",
      "kpi_snapshot",
      "revenue_trend",
    ]);
  });

  it("'сравни' alone asks week or month", () => {
    expect(toolActions(reply(routeText("сравни", CTX), "clarify"))).toEqual([
      { tool: "kpi_compare", input: { preset: "wow" } },
      { tool: "kpi_compare", input: { preset: "mom" } },
    ]);
  });

  // What is missing is left out, with the direction the owner asked for: the wizard asks for it.
  it("a price change without a percent leaves it to the wizard, with the verb's direction", () => {
    expect(routeText("подними цены", CTX)).toEqual({ kind: "tool", tool: "sis_prices_bump", input: {}, wizard: { sign: 1 } });
    expect(routeText("снизь цены", CTX)).toEqual({ kind: "tool", tool: "sis_prices_bump", input: {}, wizard: { sign: -1 } });
  });

  it("a coupon without a percent or a term leaves them out for the wizard", () => {
    expect(routeText("сделай купон", CTX)).toEqual({ kind: "tool", tool: "create_coupon", input: {} });
    expect(routeText("сделай купон 10%", CTX)).toEqual({
      kind: "tool",
      tool: "create_coupon",
      input: { code: "SALE10-2311", percent_off: 10 },
    });
    expect(routeText("сделай купон на сутки", CTX)).toMatchObject({ input: { ends_at: "2026-11-24T10:00:00.000Z" } });
  });

  it("a discount without products offers the templates that ask for them", () => {
    const r = reply(routeText("поставь скидку 10%", CTX), "clarify");
    expect(actions(r).filter((a) => a.t === "nav")).toContainEqual({ t: "nav", to: "tpl:run:DSC_SET_IDS" });
  });

  it("clearing discounts without a scope asks all or some", () => {
    const r = reply(routeText("убери скидки", CTX), "clarify");
    expect(toolActions(r)).toEqual([{ tool: "sis_discounts_clear", input: {} }]);
    expect(actions(r)).toContainEqual({ t: "nav", to: "tpl:run:DSC_CLEAR_IDS" });
  });

  it("a bare number asks whether it is an order", () => {
    expect(toolActions(reply(routeText("1234", CTX), "clarify"))).toEqual([{ tool: "order_detail", input: { order_id: "OB-1234" } }]);
  });

  it("an impossible date is named in the question", () => {
    const r = reply(routeText("выручка 31.02", CTX), "clarify");
    expect(r.text).toContain("31.02");
  });

  it("a flag without an order and a notify without text point at their templates", () => {
    expect(actions(reply(routeText("пометь заказ", CTX), "clarify"))).toContainEqual({ t: "nav", to: "tpl:run:ORD_FLAG" });
    expect(routeText("/notify", CTX)).toEqual({ kind: "tool", tool: "notify_team", input: {} });
  });
});

describe("unknown", () => {
  it.each(["фывапролд", "", "   ", "🙂🙂🙂", "???", "qwerty asdf"])("%j gets a hint with example buttons", (text) => {
    const r = reply(routeText(text, CTX), "unknown");
    expect(r.text.length).toBeGreaterThan(10);
    expect(actions(r).length).toBeGreaterThanOrEqual(3);
  });

  it("every clarify and unknown button is a known tool or nav target", () => {
    const phrases = ["продажи", "сравни", "поставь скидку 10%", "убери скидки", "1234", "фывапролд", "выручка 31.02"];
    for (const p of phrases) {
      const intent = routeText(p, CTX);
      if (intent.kind !== "clarify" && intent.kind !== "unknown") throw new Error(p);
      for (const a of actions(intent.reply)) {
        if (a.t === "tool") expect(KNOWN_TOOLS.has(a.tool), p).toBe(true);
        else if (a.t === "nav") expect(parseNavTarget(a.to), `${p}: ${a.to}`).toBeDefined();
        else throw new Error(`unexpected action ${a.t}`);
      }
    }
  });
});
