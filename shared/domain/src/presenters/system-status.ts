import type { Reply, ToolContext, ToolResult } from "../contract.ts";
import { formatDateTime } from "../format/dates.ts";
import type {
  CheckLevel,
  CheckState,
  OnboardItem,
  OnboardStatusData,
  SysHealthData,
  UpstreamModeData,
} from "../tools/results/system-status.ts";
import { blocks, toolButton, warningLines } from "./common.ts";

const MODE_RU: Record<string, string> = {
  DEMO: "демо-данные",
  SIS_HTTP: "данные из SIS",
  AUTO: "SIS, если отвечает, иначе демо-данные",
};

function mode(m: string): string {
  const ru = MODE_RU[m];
  return ru ? `${m} (${ru})` : m;
}

/** These answers describe the bot, not the shop: the footer says when the snapshot was read. */
function stateFooter(result: ToolResult, ctx: ToolContext): string {
  const at = formatDateTime(new Date(result.asOf), ctx.shop.timeZone, ctx.now);
  return [`Данные: состояние бота на ${at}`, ...warningLines(result)].join("\n");
}

export function presentUpstreamMode(result: ToolResult<UpstreamModeData>, ctx: ToolContext): Reply[] {
  const d = result.data;
  const lines = [
    `Сейчас используется: ${mode(d.effectiveMode)}`,
    `В настройках: ${mode(d.configuredMode)}`,
    `Переключено в боте: ${d.override ? mode(d.override) : "нет"}`,
    `Подключение к SIS: ${d.sisConfigured ? "адрес и ключ заданы" : "не настроено"}`,
  ];
  const notes: string[] = [];
  if (d.selectedMode === "AUTO" && d.effectiveMode === "DEMO") notes.push("SIS сейчас не отвечает, поэтому показываются демо-данные.");
  if (d.selectedMode !== "DEMO" && !d.sisConfigured) notes.push("⚠️ Выбран режим с SIS, но адрес или ключ SIS не заданы.");
  return [{ text: blocks("🔀 Режим данных", lines, notes, stateFooter(result, ctx)) }];
}

const STATE_ICON: Record<CheckState, string> = { ok: "✅", fail: "❌", not_needed: "➖", configured: "✅" };

export function presentSysHealth(result: ToolResult<SysHealthData>, ctx: ToolContext): Reply[] {
  const d = result.data;
  const sis =
    d.sis === "configured"
      ? "адрес и ключ заданы (связь здесь не проверялась)"
      : d.sis === "not_needed"
        ? "не настроен, в режиме DEMO не нужен"
        : `не настроен, а режим ${d.effectiveMode} его требует`;
  const lines = [
    `${STATE_ICON[d.db]} База данных: ${d.db === "ok" ? "доступна" : "недоступна"}`,
    `${STATE_ICON[d.redis]} Redis: ${d.redis === "ok" ? "доступен" : "недоступен"}`,
    `${STATE_ICON[d.sis]} SIS: ${sis}`,
    `Режим данных: ${mode(d.effectiveMode)}`,
    `Распознавание речи: ${d.asr === "off" ? "выключено" : d.asr}`,
    `LLM: ${d.llm === "off" ? "выключена" : d.llm}`,
  ];
  const title = d.status === "ok" ? "🩺 Состояние бота: всё в порядке" : "🩺 Состояние бота: есть проблемы";
  return [
    {
      text: blocks(title, lines, stateFooter(result, ctx)),
      buttons: [[toolButton("🔀 Режим данных", "sys_upstream_mode", {}), toolButton("🧯 Ошибки", "sys_last_errors", {})]],
    },
  ];
}

const LEVEL_ICON: Record<CheckLevel, string> = { ok: "✅", warn: "⚠️", fail: "❌" };
const OVERALL_RU: Record<CheckLevel, string> = { ok: "всё готово", warn: "есть что донастроить", fail: "есть блокирующие проблемы" };

/** Russian line and fix hint for each checklist item and reason. */
function itemText(i: OnboardItem, d: OnboardStatusData): { text: string; hint?: string } {
  switch (`${i.key}:${i.reason}`) {
    case "sis_connectivity:configured":
      return { text: "Подключение к SIS: адрес и ключ заданы" };
    case "sis_connectivity:missing_for_mode":
      return { text: `Подключение к SIS: не настроено, а режим ${d.selectedMode} его требует`, hint: "Задайте SIS_BASE_URL и ключ SIS." };
    case "sis_connectivity:not_configured_demo":
      return {
        text: "Подключение к SIS: не настроено (работаем на демо-данных)",
        hint: "Для данных магазина задайте SIS_BASE_URL и ключ SIS.",
      };
    case "upstream_mode:demo":
      return { text: "Режим данных: DEMO" };
    case "upstream_mode:sis_ready":
      return { text: `Режим данных: ${d.selectedMode}, SIS настроен` };
    case "upstream_mode:sis_missing":
      return { text: `Режим данных: ${d.selectedMode} без настроек SIS`, hint: "Переключите режим на DEMO или настройте SIS." };
    case "capabilities:no_sis":
      return { text: "Возможности SIS: нечего проверять без SIS" };
    case "capabilities:not_probed":
      return { text: "Возможности SIS: не проверялись за последние 6 ч", hint: "Проверьте: «возможности SIS»." };
    case "capabilities:none_supported":
      return { text: "Возможности SIS: ни одно действие не поддерживается", hint: "Обновите SIS или проверьте адрес SIS_BASE_URL." };
    case "capabilities:probe_problems":
      return { text: "Возможности SIS: часть проверок не прошла", hint: "Проверьте ключ SIS и доступность SIS: «возможности SIS»." };
    case "capabilities:probed":
      return { text: "Возможности SIS: проверены" };
    case "notifications:unknown_owner":
      return { text: "Уведомления: не удалось определить владельца" };
    case "notifications:none_on":
      return {
        text: "Уведомления: все выключены",
        hint: "Включите дайджест или алерты: «включи дайджест в 09:00» или раздел «🔔 Уведомления» в /start.",
      };
    case "notifications:some_on":
      return { text: "Уведомления: включены" };
    case "team_routing:set":
      return { text: `Чаты менеджеров: ${d.managerChats}` };
    case "team_routing:unset":
      return { text: "Чаты менеджеров: не заданы", hint: "Укажите MANAGER_CHAT_IDS, чтобы бот мог звать команду." };
    default:
      return { text: `${i.key}: ${i.reason}` };
  }
}

export function presentOnboardStatus(result: ToolResult<OnboardStatusData>, ctx: ToolContext): Reply[] {
  const d = result.data;
  const lines = d.items.flatMap((i) => {
    const t = itemText(i, d);
    return [`${LEVEL_ICON[i.level]} ${t.text}`, ...(t.hint && i.level !== "ok" ? [`   ↳ ${t.hint}`] : [])];
  });
  return [
    {
      text: blocks(`🧭 Готовность бота: ${LEVEL_ICON[d.overall]} ${OVERALL_RU[d.overall]}`, lines, stateFooter(result, ctx)),
      buttons: [[toolButton("🩺 Состояние", "sys_health", {})]],
    },
  ];
}
