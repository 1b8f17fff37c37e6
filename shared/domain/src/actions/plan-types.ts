// Agent plans (reference §5): a few steps previewed together and confirmed once. s1.. are run in
// order; the step that changes the shop is the main one, a NOTIFY_TEAM step tells the team about it
// afterwards and runs only when its condition holds. Pure data, so the router can build them.

export type PlanCondition = "always" | "would_apply_true" | "commit_succeeded";

export type PlanStep = {
  step_id: string;
  kind: "TOOL" | "NOTIFY_TEAM";
  /** A read tool (shown in the preview only) or an action tool; notify_team for NOTIFY_TEAM. */
  tool: string;
  payload: Record<string, unknown>;
  /** The main step: the one the owner confirms (at most one, a TOOL step). */
  requires_confirm: boolean;
  condition: PlanCondition;
  label: string;
};

export type PlanSpec = {
  plan_id: string;
  source: "RULE_PHRASE_PACK";
  summary: string;
  steps: PlanStep[];
};

/** The team message that follows a main step, when the phrase did not say what to write. */
export function followUpText(main: PlanStep): string {
  const p = main.payload;
  if (main.tool === "create_coupon") {
    const pct = typeof p.percent_off === "number" ? ` −${p.percent_off} %` : "";
    const until = typeof p.ends_at === "string" ? ` до ${p.ends_at.slice(0, 16).replace("T", " ")} UTC` : "";
    const code = typeof p.code === "string" ? p.code : "";
    return `🎟 Новый купон ${code}:${pct}${until}. Подскажите клиентам.`;
  }
  if (main.tool === "sis_fx_reprice_auto" || main.tool === "sis_fx_reprice") return "💱 Цены пересчитаны по курсу. Проверьте витрину.";
  if (main.tool === "sis_prices_bump")
    return `💹 Цены изменены на ${typeof p.bump_percent === "string" || typeof p.bump_percent === "number" ? p.bump_percent : "?"} %. Проверьте витрину.`;
  return `✅ Выполнено: ${main.label}.`;
}
