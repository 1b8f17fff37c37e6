import { followUpText, type PlanSpec, type PlanStep } from "../actions/plan-types.ts";
import { wizardMissing } from "../actions/wizard.ts";
import { MAX_NOTIFY_CHARS } from "./limits.ts";
import { Message } from "./message.ts";
import { keys, type Rule } from "./rule.ts";
import { rx, trimLead } from "./text.ts";
import type { Intent } from "./types.ts";

// The rule plans of the phrase pack (reference §5 "Agent plans"): «проверь курс и обнови цены если
// надо» (rate check, then the reprice if it is due) and «<action> и сообщи команде» (the action,
// then a message to the team when it committed). Unlike the reference, a rule plan is not blocked
// by LLM_ALLOWED_ACTION_TOOLS (gap #5): the owner typed it; nothing here came from a model.

const CHECK_RATE = rx(
  "\\bпровер\\p{L}*\\s+курс|\\bпосмотри\\p{L}*\\s+(?:на\\s+)?курс|\\bчто\\s+(?:с|по)\\s+курс\\p{L}*|\\bcheck\\s+(?:the\\s+)?(?:fx|rates?)",
);
const THEN_REPRICE = rx("\\b(?:обнови|пересчитай|поправь)\\p{L}*\\s+цен|\\bесли\\s+(?:надо|нужно)|\\bupdate\\s+prices|\\bif\\s+needed");
const FOLLOW_UP = rx(
  "(?:,|\\bи\\b|\\bа\\s+потом\\b|\\bпотом\\b|\\bзатем\\b|\\band\\b)\\s*(?:сообщи|оповести|уведоми|напиши|передай|пингни|скажи|notify|tell)\\p{L}*\\s+(?:всей\\s+|всем\\s+|the\\s+)?(?:команд|менеджер|team)\\p{L}*",
);
/** The actions a plan may lead with (the reference's builder: coupons, reprices, bumps), as the plan names them. */
const PLAN_MAIN = new Map([
  ["create_coupon", "Купон"],
  ["sis_fx_reprice_auto", "Пересчёт цен по курсу"],
  ["sis_prices_bump", "Цены на %"],
  ["sis_fx_rollback", "Откат цен"],
  ["sis_discounts_set", "Скидка на товары"],
  ["sis_products_publish", "Публикация товаров"],
]);

function step(
  n: number,
  kind: PlanStep["kind"],
  tool: string,
  payload: Record<string, unknown>,
  label: string,
  o: Partial<PlanStep> = {},
): PlanStep {
  return { step_id: `s${n}`, kind, tool, payload, requires_confirm: false, condition: "always", label, ...o };
}

function notifyStep(n: number, main: PlanStep, tail: string): PlanStep {
  const custom = trimLead(tail.replace(/^[\s:,—-]+/u, ""));
  const message = (custom.length >= 3 ? custom : followUpText(main)).slice(0, MAX_NOTIFY_CHARS);
  return step(n, "NOTIFY_TEAM", "notify_team", { message }, "Сообщение команде", { condition: "commit_succeeded" });
}

const plan = (id: string, summary: string, steps: PlanStep[]): Intent => ({
  kind: "plan",
  plan: { plan_id: id, source: "RULE_PHRASE_PACK", summary, steps } satisfies PlanSpec,
});

/** The plan rule; `actions` are the single-action rules, used to read the plan's main step. */
export function makePlanRule(actions: readonly Rule[]): Rule {
  function mainOf(text: string, m: Message): PlanStep | undefined {
    const sub = new Message(text, m.ctx);
    for (const r of actions) {
      const intent = r.run(sub);
      if (!intent) continue;
      // A main step that misses a parameter is no plan: the action alone goes to the parameter wizard.
      if (intent.kind !== "tool" || !PLAN_MAIN.has(intent.tool) || wizardMissing(intent.tool, intent.input).length > 0) return undefined;
      return step(1, "TOOL", intent.tool, intent.input, PLAN_MAIN.get(intent.tool) ?? intent.tool, { requires_confirm: true });
    }
    return undefined;
  }

  function run(m: Message): Intent | undefined {
    const follow = FOLLOW_UP.exec(m.norm);
    if (m.has(CHECK_RATE) && m.has(THEN_REPRICE)) {
      const steps = [
        step(1, "TOOL", "sis_fx_status", {}, "Курс валют"),
        step(2, "TOOL", "sis_fx_reprice_auto", { force: false, refresh_snapshot: true }, "Пересчёт цен по курсу", {
          requires_confirm: true,
          condition: "would_apply_true",
        }),
      ];
      if (follow) steps.push(notifyStep(3, steps[1]!, m.clean.slice(follow.index + follow[0].length)));
      return plan("rule:fx_check_reprice", "Проверить курс и пересчитать цены, если нужно", steps);
    }
    if (!follow || follow.index === 0) return undefined;
    const main = mainOf(m.clean.slice(0, follow.index), m);
    if (!main) return undefined;
    return plan(`rule:${main.tool}+notify`, `${main.label} и сообщение команде`, [
      main,
      notifyStep(2, main, m.clean.slice(follow.index + follow[0].length)),
    ]);
  }

  return { id: "plan", keys: keys("пров посм что chec сооб опов увед напи пере пинг скаж noti tell"), run };
}
