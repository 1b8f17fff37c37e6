import { describe, expect, it } from "vitest";
import { BOT_COMMANDS } from "./commands.ts";
import { CTX } from "./fixtures.ts";
import { routeText } from "./route.ts";
import { COMMAND_NAMES, isCommandText } from "./slash.ts";
import { KNOWN_TOOLS } from "./tool-names.ts";
import type { Intent } from "./types.ts";

const tool = (intent: Intent): { tool: string; input: Record<string, unknown>; presentation?: string } => {
  if (intent.kind !== "tool") throw new Error(`expected a tool intent, got ${JSON.stringify(intent)}`);
  return intent.presentation
    ? { tool: intent.tool, input: intent.input, presentation: intent.presentation }
    : { tool: intent.tool, input: intent.input };
};

describe("BOT_COMMANDS", () => {
  it("is valid for setMyCommands", () => {
    expect(BOT_COMMANDS.length).toBeLessThanOrEqual(100);
    const names = BOT_COMMANDS.map((c) => c.command);
    expect(new Set(names).size).toBe(names.length);
    for (const c of BOT_COMMANDS) {
      expect(c.command).toMatch(/^[a-z0-9_]{1,32}$/);
      expect(c.description.length).toBeGreaterThanOrEqual(1);
      expect(c.description.length).toBeLessThanOrEqual(256);
      expect(c.description).toMatch(/[а-яё]/i);
    }
  });

  it("starts with the owner's reports", () => {
    expect(BOT_COMMANDS.slice(0, 3).map((c) => c.command)).toEqual(["menu", "kpi", "today"]);
  });

  it("does not list the action commands this version cannot carry out (they still answer, honestly)", () => {
    for (const name of ["notify", "flag", "tpl_bump", "tpl_rate_set"]) {
      expect(BOT_COMMANDS.map((c) => c.command)).not.toContain(name);
      expect(COMMAND_NAMES).toContain(name);
    }
  });

  it("lists only commands the router understands, and every reference report and system command", () => {
    for (const c of BOT_COMMANDS) expect(COMMAND_NAMES).toContain(c.command);
    const reference = ["start", "menu", "help", "tools", "templates", "sis_check", "upstream"];
    const more = ["upstream_demo", "upstream_sis", "upstream_auto", "upstream_clear", "systems", "shadow_check", "trend", "weekly_pdf"];
    for (const name of [...reference, ...more]) expect(BOT_COMMANDS.map((c) => c.command)).toContain(name);
  });

  it.each(BOT_COMMANDS.map((c) => c.command))("/%s routes to something other than 'unknown'", (name) => {
    const intent = routeText(`/${name}`, CTX);
    expect(intent.kind).not.toBe("unknown");
    if (intent.kind === "tool") expect(KNOWN_TOOLS.has(intent.tool)).toBe(true);
  });
});

describe("system commands go to the worker", () => {
  it.each([
    ["/start", "start", ""],
    ["/menu", "menu", ""],
    ["/help", "help", ""],
    ["/tools", "tools", ""],
    ["/templates", "templates", ""],
    ["/systems", "systems", ""],
    ["/upstream", "upstream", ""],
    ["/upstream_demo", "upstream_demo", ""],
    ["/upstream_sis", "upstream_sis", ""],
    ["/upstream_auto", "upstream_auto", ""],
    ["/upstream_clear", "upstream_clear", ""],
    ["/sis_check", "sis_check", ""],
    ["/shadow_check", "shadow_check", ""],
    ["/cancel", "cancel", ""],
    ["/tpl_rate_set abc123", "tpl_rate_set", "abc123"],
    ["/menu@OwnerShopBot", "menu", ""],
    ["  /MENU  ", "menu", ""],
  ])("%s", (text, name, args) => {
    expect(routeText(text, CTX)).toEqual({ kind: "command", name, args });
  });
});

describe("report and action commands", () => {
  it.each([
    ["/kpi", { tool: "kpi_snapshot", input: { day: "2026-11-23" } }],
    ["/kpi вчера", { tool: "kpi_snapshot", input: { day: "2026-11-22" } }],
    ["/kpi@OwnerShopBot вчера", { tool: "kpi_snapshot", input: { day: "2026-11-22" } }],
    ["/kpi 15.11", { tool: "kpi_snapshot", input: { day: "2026-11-15" } }],
    ["/today", { tool: "kpi_snapshot", input: { day: "2026-11-23" } }],
    ["/yesterday", { tool: "kpi_snapshot", input: { day: "2026-11-22" } }],
    ["/week", { tool: "revenue_trend", input: { days: 7 } }],
    ["/month", { tool: "revenue_trend", input: { days: 30 } }],
    ["/trend 30", { tool: "revenue_trend", input: { days: 30 }, presentation: "chart" }],
    ["/trend за 2 недели", { tool: "revenue_trend", input: { days: 14 }, presentation: "chart" }],
    ["/compare", { tool: "kpi_compare", input: { preset: "wow" } }],
    ["/compare месяц", { tool: "kpi_compare", input: { preset: "mom" } }],
    ["/orders", { tool: "orders_search", input: { limit: 20 } }],
    ["/orders оплаченные", { tool: "orders_search", input: { status: "paid", limit: 20 } }],
    ["/order 55", { tool: "order_detail", input: { order_id: "OB-55" } }],
    ["/order OB-1234", { tool: "order_detail", input: { order_id: "OB-1234" } }],
    ["/stuck", { tool: "orders_search", input: { preset: "stuck", limit: 20 } }],
    ["/late", { tool: "orders_search", input: { preset: "late_ship", limit: 20 } }],
    ["/payments", { tool: "orders_search", input: { preset: "payment_issues", limit: 20 } }],
    ["/stock", { tool: "inventory_status", input: { section: "all", low_stock_lte: 5, limit: 20 } }],
    ["/stock без фото", { tool: "inventory_status", input: { section: "missing_photo", low_stock_lte: 5, limit: 20 } }],
    ["/lowstock", { tool: "inventory_status", input: { section: "low_stock", low_stock_lte: 5, limit: 20 } }],
    ["/top месяц", { tool: "top_products", input: { days: 30, metric: "revenue", direction: "top", group_by: "product", limit: 10 } }],
    ["/bottom", { tool: "top_products", input: { days: 7, metric: "revenue", direction: "bottom", group_by: "product", limit: 10 } }],
    ["/categories", { tool: "top_products", input: { days: 7, metric: "revenue", direction: "top", group_by: "category", limit: 10 } }],
    ["/funnel", { tool: "funnel_snapshot", input: {} }],
    ["/refunds 30", { tool: "refunds_anomalies", input: { days: 30 } }],
    ["/chats 2", { tool: "chats_unanswered", input: { threshold_hours: 2, limit: 20 } }],
    ["/team", { tool: "team_queue_summary", input: {} }],
    ["/coupons", { tool: "coupons_status", input: {} }],
    ["/forecast 14", { tool: "demand_forecast", input: { horizon_days: 14 } }],
    ["/reorder", { tool: "reorder_plan", input: {} }],
    ["/dashboard", { tool: "biz_dashboard_daily", input: { format: "png" } }],
    ["/weekly_pdf", { tool: "biz_dashboard_weekly", input: { format: "pdf", week_mode: "last7" } }],
    ["/flag 1234 не дозвонились", { tool: "flag_order", input: { order_id: "OB-1234", reason: "не дозвонились" } }],
    ["/flag OB-77 причина: проверить адрес", { tool: "flag_order", input: { order_id: "OB-77", reason: "проверить адрес" } }],
    ["/notify Проверьте заказ 1234", { tool: "notify_team", input: { message: "Проверьте заказ 1234" } }],
    ["/tpl_bump 5", { tool: "sis_prices_bump", input: { bump_percent: "5", bump_additive: "0", rounding_mode: "CEIL_INT" } }],
    ["/tpl_bump -3", { tool: "sis_prices_bump", input: { bump_percent: "-3", bump_additive: "0", rounding_mode: "CEIL_INT" } }],
  ])("%s", (text, expected) => {
    expect(tool(routeText(text, CTX))).toEqual(expected);
  });

  it("commands without their argument open the template that asks for it", () => {
    expect(routeText("/order", CTX)).toEqual({ kind: "nav", to: "tpl:run:ORD_FIND_BY_ID" });
    expect(routeText("/tpl_bump", CTX)).toEqual({ kind: "nav", to: "tpl:run:PRC_BUMP" });
  });

  it("a bad /tpl_bump argument says what to type", () => {
    const intent = routeText("/tpl_bump много", CTX);
    expect(intent.kind).toBe("clarify");
    if (intent.kind === "clarify") expect(intent.reply.text).toMatch(/процент/);
  });

  it("clamps to the tool's limits and says so", () => {
    const intent = routeText("/trend 500", CTX);
    expect(tool(intent)).toEqual({ tool: "revenue_trend", input: { days: 365 }, presentation: "chart" });
    expect(intent.kind === "tool" && intent.notes?.[0]).toMatch(/365/);
  });

  it("unknown commands and commands for another bot get a hint", () => {
    expect(routeText("/foo", CTX).kind).toBe("unknown");
    expect(routeText("/kpi@OtherBot", { ...CTX, botUsername: "OwnerShopBot" }).kind).toBe("unknown");
    expect(routeText("/kpi@ownershopbot", { ...CTX, botUsername: "@OwnerShopBot" }).kind).toBe("tool");
  });

  it("isCommandText tells the worker to bypass pending input", () => {
    expect(isCommandText("/menu")).toBe(true);
    expect(isCommandText("  /kpi@Bot вчера")).toBe(true);
    expect(isCommandText("10")).toBe(false);
    expect(isCommandText("отмена")).toBe(false);
    expect(isCommandText("/ kpi")).toBe(false);
  });
});
