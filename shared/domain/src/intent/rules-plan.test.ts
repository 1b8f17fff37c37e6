import { describe, expect, it } from "vitest";
import { routeText } from "./route.ts";
import type { Intent } from "./types.ts";

// The rule plans (reference §5) and the phrases for actions the reference reached only by buttons.

const ctx = { shop: { shopId: "s", currency: "RUB", timeZone: "Europe/Moscow", locale: "ru-RU" }, now: new Date("2026-11-23T10:00:00Z") };
const steps = (i: Intent): [string, string, string][] =>
  i.kind === "plan" ? i.plan.steps.map((s) => [s.tool, s.condition, String(s.requires_confirm)]) : [];

describe("rule plans", () => {
  it("«проверь курс и обнови цены если надо»: the rate, then the reprice when it is due", () => {
    for (const text of ["проверь курс и обнови цены если надо", "Проверь курс и если надо обнови цены"]) {
      const i = routeText(text, ctx);
      expect(i.kind).toBe("plan");
      expect(steps(i)).toEqual([
        ["sis_fx_status", "always", "false"],
        ["sis_fx_reprice_auto", "would_apply_true", "true"],
      ]);
    }
  });

  it("«<action> и сообщи команде»: the action, then the team message when it committed", () => {
    const i = routeText("сделай купон -10% на сутки и сообщи команде", ctx);
    expect(steps(i)).toEqual([
      ["create_coupon", "always", "true"],
      ["notify_team", "commit_succeeded", "false"],
    ]);
    if (i.kind !== "plan") throw new Error("not a plan");
    expect(i.plan.steps[0]?.payload).toMatchObject({ percent_off: 10, code: "SALE10-2311" });
    expect(String(i.plan.steps[1]?.payload.message)).toContain("SALE10-2311");
    const custom = routeText("подними цены на 5%, потом сообщи команде: проверьте витрину", ctx);
    if (custom.kind !== "plan") throw new Error("not a plan");
    expect(custom.plan.steps[0]?.payload).toEqual({ bump_percent: "5" });
    expect(custom.plan.steps[1]?.payload.message).toBe("проверьте витрину");
  });

  it("a plain team message or a single action is not a plan", () => {
    expect(routeText("сообщи команде: склад пуст", ctx)).toMatchObject({ kind: "tool", tool: "notify_team" });
    expect(routeText("сделай купон -10% на сутки", ctx)).toMatchObject({ kind: "tool", tool: "create_coupon" });
    expect(routeText("проверь курс", ctx)).toMatchObject({ kind: "tool", tool: "sis_fx_status" });
  });
});

describe("setup phrases", () => {
  it.each([
    ["пересчитай цены по курсу доллара", "sis_fx_reprice", { rate_set_id: "latest", input_currency: "USD", shop_currency: "RUB" }],
    ["пересчитывай цены каждый день", "sis_fx_settings_update", { updates: { reprice_schedule_mode: "daily" } }],
    [
      "пересчёт цен раз в 6 часов",
      "sis_fx_settings_update",
      { updates: { reprice_schedule_mode: "interval", reprice_schedule_interval_hours: 6 } },
    ],
    ["примени стандартный набор настроек", "onboard_apply_preset", { preset: "standard", tz: "Europe/Moscow" }],
    ["тест-прогон", "onboard_test_run", { send_digest_now: true }],
    ["поставь кампанию на паузу", "pause_campaign", {}],
  ])("%s", (text, tool, input) => {
    expect(routeText(text, ctx)).toMatchObject({ kind: "tool", tool, input });
  });
});
