import type { PlannedIntent } from "@ownerbot/domain/llm";

/** «Не понял» after the planner, with what the owner can do; nothing ran. */
export function plannerHint(p: Extract<PlannedIntent, { kind: "unknown" }>): string {
  const base = "🤔 Не понял запрос.";
  switch (p.reason) {
    case "no_match":
      return `${base} ${p.hint ?? "Спросите иначе, например: «выручка за неделю» или «что горит»."}`;
    case "action_not_allowed":
      return `${base} Такое действие по свободному тексту я не запускаю — воспользуйтесь шаблонами (/templates) или скажите точнее, например «подними цены на 5 %».`;
    case "unknown_tool":
    case "invalid_payload":
      return `${base} Такого отчёта у меня нет. Список того, что я умею: /help`;
    case "unavailable":
      return `${base} Планировщик запросов сейчас недоступен — спросите короче, например «выручка за неделю», или откройте /start.`;
    default:
      return `${base} Переформулируйте, пожалуйста, например: «выручка за неделю» или «зависшие заказы».`;
  }
}
