import { topicOf } from "../advice/topics.ts";
import type { LlmAnswer } from "./intent.ts";
import type { LlmClient } from "./client.ts";

// LLM_PROVIDER=MOCK: a deterministic planner for the demo and tests. It answers in the same JSON as
// a real model, so the same validation runs; it knows a few phrasings the rules do not.

type Draft = Partial<LlmAnswer> & Pick<LlmAnswer, "intent_kind">;

const RULES: readonly [RegExp, (text: string) => Draft][] = [
  [
    /гипотез|иде[июй]|посовет|совет|стратег|что (мне )?делать|как (бы )?(мне )?(увелич|поднять|улучш)/u,
    (t) => ({ intent_kind: "ADVICE", advice_topic: topicOf(t), confidence: 0.7 }),
  ],
  [/(pdf|пдф).*недел|недел.*(pdf|пдф)/u, () => tool("biz_dashboard_weekly", {}, "pdf")],
  [/график|диаграмм|картинк/u, () => tool("revenue_trend", { days: 14 }, "chart")],
  [/застрял|завис|не ?отправлен|висят/u, () => tool("orders_search", { preset: "stuck" })],
  [
    /(напиши|передай|скажи|пингани?).*(команд|менеджер)|(команд|менеджер)\p{L}*\s*[:,-]/u,
    (t) => tool("notify_team", { message: t.slice(0, 1000) }),
  ],
  [/как (у нас )?(идут )?дела|как торгуем|как мы|что с магазином|как магазин/u, () => tool("kpi_compare", { preset: "wow" })],
  [/хит|лучш|популярн|бестселл/u, () => tool("top_products", { days: 7 })],
  [/закончил|кончает|остат|на складе|в наличии/u, () => tool("inventory_status", {})],
];

function tool(name: string, input: Record<string, unknown>, presentation: "chart" | "pdf" | "text" = "text"): Draft {
  return { intent_kind: "TOOL", tool: name, payload_json: JSON.stringify(input), presentation, confidence: 0.8 };
}

export function mockAnswer(text: string): LlmAnswer {
  const t = text.toLowerCase().replace(/ё/g, "е");
  const hit = RULES.find(([re]) => re.test(t));
  const d: Draft = hit
    ? hit[1](t)
    : {
        intent_kind: "UNKNOWN",
        hint: "Спросите про выручку, заказы, склад или попросите совет, например: «идеи, как поднять продажи».",
        confidence: 0.2,
      };
  return {
    intent_kind: d.intent_kind,
    tool: d.tool ?? null,
    payload_json: d.payload_json ?? null,
    presentation: d.presentation ?? null,
    advice_topic: d.advice_topic ?? null,
    hint: d.hint ?? null,
    confidence: d.confidence ?? 0.5,
  };
}

export function mockLlm(): LlmClient {
  return { name: "mock", complete: ({ user }) => Promise.resolve({ raw: JSON.stringify(mockAnswer(user)) }) };
}
