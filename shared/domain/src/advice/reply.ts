import type { Reply } from "../contract.ts";
import { HOME, nav } from "../ui/keyboard.ts";
import { PLAYBOOKS, type AdviceTopic } from "./topics.ts";

// The advisor's answer from a playbook: hypotheses, risks and experiments, marked as hypotheses
// (reference §10.4: advice is never data). No number about the shop appears here.

export const HYPOTHESIS_HEADER = "🧭 Качество: гипотеза | 📌 источник: плейбук советника, не данные магазина";

export function adviceReply(topic: AdviceTopic): Reply {
  const p = PLAYBOOKS[topic];
  const list = (items: readonly string[]): string[] => items.map((x) => `• ${x}`);
  return {
    text: [
      HYPOTHESIS_HEADER,
      "",
      `🧠 Советник: ${p.title}`,
      "",
      "Гипотезы:",
      ...list(p.hypotheses),
      "",
      "Риски:",
      ...list(p.risks),
      "",
      "Что проверить:",
      ...list(p.experiments),
    ].join("\n"),
    buttons: [
      [nav("📊 На основе наших данных", `advisor:brief:${topic}`), nav("📄 Записка PDF", `advisor:memo:${topic}`)],
      [nav("🔎 Проверить данными", `advisor:check:${topic}`), nav(`⚡ ${p.action.label}`, `advisor:act:${topic}`)],
      [nav("🧠 Другие темы", "advisor"), HOME],
    ],
  };
}

/** Advice asked for without a recognisable topic: the topics to choose from. */
export function adviceTopicsReply(): Reply {
  return {
    text: "🧠 Советник: о чём совет? Выберите тему — отвечу гипотезами и тем, что стоит проверить.",
    buttons: [
      [nav("🌦 Сезон и тренды", "advisor:preset:SEASON_TRENDS"), nav("🏷 Акции", "advisor:preset:PROMO_STRATEGY")],
      [nav("💲 Цены", "advisor:preset:PRICING_STRATEGY"), nav("🗂 Ассортимент", "advisor:preset:ASSORTMENT_STRATEGY")],
      [nav("🔥 Приоритеты", "advisor:preset:OPS_PRIORITY"), nav("🚀 Рост", "advisor:preset:GROWTH_PLAN")],
      [HOME],
    ],
  };
}

/** The heading of the data brief: facts below come from the shop's read tools, each with its source. */
export function briefHeader(topic: AdviceTopic, tools: readonly string[]): Reply {
  return {
    text: [
      `📊 ${PLAYBOOKS[topic].title}: на основе наших данных`,
      `Факты — из ${tools.length} отчётов магазина (источник и период — под каждым); выводы из них — гипотезы, а не данные.`,
    ].join("\n"),
    buttons: [[nav("🔄 Обновить сводку", `advisor:refresh:${topic}`), nav("🧠 К совету", `advisor:preset:${topic}`)]],
  };
}

/**
 * The line a kept brief is shown with: when its reports ran (shop time) and, for a refresh asked
 * for within the cooldown, when one is possible.
 */
export function keptBriefNote(gatheredAt: string, refreshInSec?: number): string {
  const base = `♻️ Сводка собрана ${gatheredAt}, отчёты заново не запускались.`;
  return refreshInSec === undefined ? base : `${base} Обновить можно через ${refreshInSec} с.`;
}
