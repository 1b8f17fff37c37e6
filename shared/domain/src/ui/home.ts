import type { Reply } from "../contract.ts";
import { HOME, nav, tpl } from "./keyboard.ts";

// The home panel and the help text. Both are pure: the worker gathers the status and sends it.

export type HomeStatus = {
  db: boolean;
  redis: boolean;
  /** Configured UPSTREAM_MODE. */
  mode: string;
  /** The mode in effect after the runtime override and AUTO's health check. */
  effectiveMode: string;
  /** The runtime override, when one is set. */
  override?: string | null;
  shopName?: string;
  /** Owner requests waiting in the intent queue. */
  queueDepth?: number;
  sisConfigured?: boolean;
  /** Speech recognition and language model providers, as configured. */
  asr?: string;
  llm?: string;
  /** Replies waiting to be delivered. */
  sendDepth?: number;
  reportDepth?: number;
  /** Voices waiting to be transcribed. */
  asrDepth?: number;
};

const MODE_LABEL: Record<string, string> = {
  DEMO: "демо-данные",
  SIS_HTTP: "магазин (SIS)",
  AUTO: "авто: SIS, при сбое демо",
};

export function modeLabel(mode: string): string {
  return MODE_LABEL[mode] ?? mode;
}

const safe = (s: string): string => s.replace(/[<>&]/g, "").slice(0, 64);
const mark = (ok: boolean): string => (ok ? "✅" : "❌");

function statusLines(s: HomeStatus): string[] {
  const lines = [`🗄 База ${mark(s.db)}   ⚡ Redis ${mark(s.redis)}`];
  let data = `🔌 Данные: ${modeLabel(s.effectiveMode)}`;
  if (s.override) data += " (переключено вручную)";
  else if (s.mode !== s.effectiveMode) data += ` (настроено: ${modeLabel(s.mode)})`;
  lines.push(data);
  if (s.sisConfigured === false && s.mode !== "DEMO") lines.push("⚠️ SIS не настроен: нет адреса или ключа");
  if (s.asr !== undefined || s.llm !== undefined) {
    const voice = s.asr === "openai" ? "распознаётся" : s.asr === "mock" ? "демо-распознавание" : "выключен";
    lines.push(`🎙 Голос: ${voice}   🤖 LLM: ${s.llm === undefined || s.llm === "OFF" ? "выключен" : s.llm}`);
  }
  if (s.queueDepth !== undefined || s.sendDepth !== undefined) {
    const n = (v: number | undefined): string => (v === undefined ? "0" : v < 0 ? "?" : String(v));
    const reports = s.reportDepth !== undefined ? ` · отчёты ${n(s.reportDepth)}` : "";
    const voices = s.asrDepth !== undefined ? ` · голос ${n(s.asrDepth)}` : "";
    lines.push(`📥 Очереди: запросы ${n(s.queueDepth)} · ответы ${n(s.sendDepth)}${reports}${voices}`);
  }
  if (!s.db) lines.push("⚠️ База недоступна — отчёты могут не открыться.");
  if (!s.redis) lines.push("⚠️ Redis недоступен — кнопки могут отвечать с задержкой.");
  return lines;
}

export function homePanel(status?: HomeStatus): Reply {
  const title = status?.shopName ? `🏠 OwnerBot · ${safe(status.shopName)}` : "🏠 OwnerBot";
  const lines = [title, ...(status ? statusLines(status) : [])];
  lines.push("", "Спросите словами — «выручка за неделю», «зависшие заказы» — или выберите раздел.");
  return {
    text: lines.join("\n"),
    editInPlace: true,
    panel: true,
    buttons: [
      [nav("📊 Отчёты", "dash"), nav("🔥 Что горит", "focus:burn")],
      [nav("📦 Заказы", "orders"), nav("🛍 Товары", "products"), nav("💱 Цены", "prices")],
      [nav("🔔 Уведомления", "notify"), nav("⚙️ Система", "systems")],
      [nav("🧩 Шаблоны", "templates"), nav("❓ Помощь", "help")],
    ],
  };
}

export const HELP_EXAMPLES: readonly string[] = [
  "выручка за неделю",
  "kpi вчера",
  "продажи с 01.11 по 15.11",
  "сравни с прошлой неделей",
  "топ товаров за месяц",
  "худшие товары",
  "что закончилось",
  "мало на складе",
  "зависшие заказы",
  "заказ 1234",
  "кто не ответил",
  "график выручки за 30 дней",
  "прогноз спроса",
  "что докупить",
];

/** Actions by phrase; each shows a preview and commits only on ✅ (worker-action). */
export const HELP_ACTIONS: readonly string[] = [
  "подними цены на 5%",
  "снизь цены на 3%",
  "сделай купон -10% на сутки",
  "пометь заказ 1234 причина не дозвонились",
  "сообщи команде: проверьте возвраты",
];

/** Settings the owner can change by phrase (they apply at once). */
export const HELP_SETTINGS: readonly string[] = ["включи дайджест в 9:00", "следи за курсом доллара", "статус уведомлений"];

export function helpReply(): Reply {
  const text = [
    // Only what works in this version is advertised. A voice note is answered exactly as the same
    // words typed (worker-asr), so the examples hold for both.
    "❓ Спрашивайте текстом или голосом, например:",
    ...HELP_EXAMPLES.map((e) => `• ${e}`),
    "",
    "Действия — всегда с предпросмотром и подтверждением:",
    ...HELP_ACTIONS.map((e) => `• ${e}`),
    "",
    "Уведомления настраиваются фразой:",
    ...HELP_SETTINGS.map((e) => `• ${e}`),
    "",
    "Периоды: сегодня, вчера, за 7 дней, за 3 недели, за месяц, в ноябре, с 01.11 по 15.11.",
    "Команды: /menu /kpi /week /compare /orders /stuck /stock /top /chats /templates /cancel",
  ].join("\n");
  return {
    text,
    editInPlace: true,
    panel: true,
    buttons: [
      [tpl("📊 KPI сегодня", "RPT_KPI_TODAY"), tpl("📅 7 дней", "RPT_KPI_7D"), tpl("🧊 Зависшие", "ORD_STUCK_LIST")],
      [nav("🧩 Шаблоны", "templates"), HOME],
    ],
  };
}
