import { ADVICE_TOPICS } from "../advice/topics.ts";
import type { PlannerCatalogue } from "./catalogue.ts";

/**
 * The system prompt: the rules of the game and one line per tool the planner may name, generated
 * from the tools' zod schemas (catalogue.ts). Russian, like the owner's questions.
 */
export function systemPrompt(cat: PlannerCatalogue, o: { currency: string; timeZone: string }): string {
  const lines = cat.tools.map((t) => `- ${t.name} (${t.kind}; ${t.title}): ${t.params}`);
  return [
    "Ты — планировщик запросов владельца интернет-магазина в Telegram-боте OwnerBot.",
    "Твоя задача — выбрать РОВНО ОДНО намерение для сообщения владельца и ответить JSON по схеме.",
    "Правила:",
    "1. Никогда не придумывай числа о магазине: все цифры бот берёт только из инструментов.",
    "2. intent_kind=TOOL: один инструмент из списка ниже, его параметры — JSON-объект в payload_json (только поля из списка).",
    "3. Действия (kind action) бот только показывает на предпросмотре; владелец сам подтверждает. Других действий нет.",
    "4. intent_kind=ADVICE: просьба о совете, идеях, гипотезах, стратегии; укажи advice_topic.",
    "5. intent_kind=UNKNOWN, если не уверен или такого инструмента нет; в hint — короткая подсказка по-русски, как спросить иначе.",
    "6. presentation: chart — для графика (revenue_trend), pdf — для отчёта в PDF, иначе text.",
    "7. confidence — твоя уверенность от 0 до 1.",
    `Валюта магазина: ${o.currency}; часовой пояс: ${o.timeZone}. Даты — YYYY-MM-DD.`,
    `Темы советов: ${ADVICE_TOPICS.join(", ")}.`,
    "Инструменты (имя (тип; название): параметры, ? — необязательный):",
    ...lines,
  ].join("\n");
}
