import { toolTitle } from "../intent/tool-names.ts";

// The bot's journal in the owner's words. Event types, tool names and error codes are for ops
// (they stay in audit_events and the JSON export); the chat shows what happened, in Russian.

const EVENTS: Record<string, string> = {
  tool_call: "Запрос",
  tool_call_finished: "Запрос",
  tool_called: "Запрос",
  tool_call_failed: "Сбой при ответе",
  intent_unknown: "Не понял запрос",
  intent_unrecognized: "Не понял запрос",
  intent_unmatched: "Не понял запрос",
  retrospective: "Разбор запроса",
  access_denied: "Писал посторонний — доступ закрыт",
  callback_token_mismatch: "Нажата чужая или устаревшая кнопка",
  update_dead: "Запрос не удалось обработать",
  upstream_mode_changed: "Сменён источник данных",
  upstream_unavailable: "Источник данных не ответил",
  systems_check: "Диагностика",
  notify_error: "Сбой уведомления",
  notify_digest_sent_v2: "Отправлен дайджест",
  notify_digest_sent_quiet_v1: "Отправлен тихий дайджест",
  notify_digest_skipped_quiet: "Тихий дайджест: день спокойный, не отправлен",
  notify_weekly_sent: "Отправлен недельный отчёт",
  notify_fx_delta_sent: "Отправлено уведомление о курсе",
  notify_fx_apply_event_sent: "Отправлено уведомление о пересчёте цен",
  notify_fx_apply_parse_failed: "Не удалось прочитать итог пересчёта цен",
  notify_ops_alert_sent: "Отправлен алерт о проблемах",
  notify_ops_alert_tool_failed: "Алерт о проблемах: часть данных недоступна",
  notify_escalation_sent: "Отправлено напоминание об инциденте",
  action_previewed: "Предпросмотр действия",
  action_confirmed: "Действие подтверждено",
  action_committed: "Действие выполнено",
  action_failed: "Действие не выполнено",
  action_cancelled: "Действие отменено",
  advice_brief_built: "Советник: сводка по данным",
  advice_brief_kept: "Советник: сводка показана из сохранённой",
  advice_validated: "Советник: проверка данными",
  advice_action_proposed: "Советник: предложено действие",
  advice_memo_requested: "Советник: служебная записка",
};

const CODES: Record<string, string> = {
  NOT_FOUND: "не найдено",
  VALIDATION_ERROR: "неверный параметр",
  BAD_INPUT: "неверный ввод",
  NOT_IMPLEMENTED: "нет в этой версии",
  UPSTREAM_NOT_IMPLEMENTED: "не поддерживается источником данных",
  UNKNOWN_TOOL: "неизвестный отчёт",
  UPSTREAM_UNAVAILABLE: "данные недоступны",
  UPSTREAM_TIMEOUT: "источник данных не ответил вовремя",
  CONFIG_MISSING: "не хватает настройки",
  INTERNAL: "внутренняя ошибка",
};

/** "Сбой при ответе", "Не понял запрос"; an event this table does not know is a service event. */
export function eventLabel(type: string): string {
  return EVENTS[type] ?? "Служебное событие";
}

export function codeLabel(code: string): string {
  return CODES[code] ?? "ошибка";
}

const str = (v: unknown): string | null => (typeof v === "string" && v.length > 0 ? v : null);

/** One journal line's text: what happened, to which report, and how it ended. */
export function describeEvent(type: string, payload: Record<string, unknown>): string {
  const tool = str(payload.tool);
  const code = str(payload.error_code) ?? str(payload.code);
  const parts = [eventLabel(type)];
  if (tool) parts.push(`«${toolTitle(tool).replace(/^«|»$/g, "")}»`);
  if (code) parts.push(`— ${codeLabel(code)}`);
  const text = str(payload.text);
  if (text && (type.startsWith("intent_") || type === "retrospective")) parts.push(`«${text}»`);
  return parts.join(" ");
}

/** A retro "top errors" key (`type` or `type:code`) in words. */
export function errorKeyLabel(key: string): string {
  const [type = key, code] = key.split(":");
  return code ? `${eventLabel(type)} — ${codeLabel(code)}` : eventLabel(type);
}
