import type { Button, Reply } from "../contract.ts";
import { addDays, formatDayShort } from "../format/dates.ts";
import { HOME, nav, rows, toolBtn, tpl } from "../ui/keyboard.ts";
import type { Intent } from "./types.ts";

// The router's own short replies: questions when a request is ambiguous and a hint when it is not
// understood. Buttons carry complete tool inputs, so one tap answers the question.

function clarify(text: string, buttons: Button[], perRow = 3): Intent {
  return { kind: "clarify", reply: { text, buttons: [...rows(buttons, perRow), [HOME]] } };
}

const day = (word: string, d: string): string => `${word} (${formatDayShort(d)})`;

export function kpiOrTrendChoice(today: string, yesterday: string): Intent {
  return clarify("📊 Что показать по продажам?", [
    toolBtn(day("Сегодня", today), "kpi_snapshot", { day: today }),
    toolBtn(day("Вчера", yesterday), "kpi_snapshot", { day: yesterday }),
    toolBtn("📈 7 дней", "revenue_trend", { days: 7 }),
  ]);
}

export function compareChoice(): Intent {
  return clarify(
    "⚖️ С чем сравнить?",
    [toolBtn("Неделя к неделе", "kpi_compare", { preset: "wow" }), toolBtn("Месяц к месяцу", "kpi_compare", { preset: "mom" })],
    2,
  );
}

export function invalidPeriod(raw: string, today: string): Intent {
  const safe = raw.replace(/[<>&]/g, "").slice(0, 24);
  return clarify(`📅 Не понял дату «${safe}». Пишите так: «вчера», «15.11», «за 7 дней», «с 01.11 по 15.11», «в ноябре».`, [
    toolBtn(day("Сегодня", today), "kpi_snapshot", { day: today }),
    toolBtn(day("Вчера", addDays(today, -1)), "kpi_snapshot", { day: addDays(today, -1) }),
    toolBtn("📈 7 дней", "revenue_trend", { days: 7 }),
  ]);
}

export function orderChoice(orderId: string): Intent {
  return clarify(`🔎 Это номер заказа ${orderId}?`, [toolBtn(`Открыть ${orderId}`, "order_detail", { order_id: orderId })], 1);
}

/** A request that needs the owner's own words (a message, ids): offer the template that asks. */
export function needsInput(text: string, templateId: string, label: string, extra: Button[] = []): Intent {
  return clarify(text, [tpl(label, templateId), ...extra], 2);
}

export function choose(text: string, buttons: Button[], perRow = 3): Intent {
  return clarify(text, buttons, perRow);
}

export const UNKNOWN_TEXT =
  "🤔 Не понял запрос. Попробуйте, например:\n" +
  "• выручка за неделю\n• kpi вчера\n• зависшие заказы\n• что закончилось на складе\n• заказ 1234\n" +
  "Все команды и примеры — /help";

export function unknownReply(text = UNKNOWN_TEXT): Reply {
  return {
    text,
    buttons: [
      [tpl("📊 KPI сегодня", "RPT_KPI_TODAY"), tpl("📈 7 дней", "RPT_KPI_7D")],
      [tpl("🧊 Зависшие заказы", "ORD_STUCK_LIST"), tpl("📦 Остатки", "PRD_INVENTORY_STATUS")],
      [nav("🏠 Меню", "home"), nav("❓ Помощь", "help")],
    ],
  };
}

export function unknown(text?: string): Intent {
  return { kind: "unknown", reply: unknownReply(text) };
}
