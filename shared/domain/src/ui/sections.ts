import type { Button, Reply } from "../contract.ts";
import { getTemplate, isCategory } from "../templates/catalog.ts";
import { isOffered, offeredIn } from "../templates/offered.ts";
import type { TemplateCategory } from "../templates/types.ts";
import { helpReply, homePanel, modeLabel, type HomeStatus } from "./home.ts";
import { back, HOME, nav, tpl } from "./keyboard.ts";
import { parseNavTarget, type PanelId } from "./nav.ts";
import { templateCategoryPanel, templatesRoot } from "./templates-menu.ts";

// The section panels of reference §2.2. A panel row lists template ids (shown with the template's
// own button text, run when tapped, so "сегодня" is the day of the tap) or ready buttons.

type Cell = string | Button;
type Panel = { text: string; rows: Cell[][] };

const cat = (text: string, category: TemplateCategory): Button => nav(text, `tpl:cat:${category}:p:0`);

/** A cell's button, or null for a template this bot does not run yet or an empty category. */
function cell(c: Cell): Button | null {
  if (typeof c !== "string") {
    const m = "action" in c && c.action.t === "nav" ? /^tpl:cat:([a-z]+):p:0$/.exec(c.action.to) : null;
    return m && isCategory(m[1] ?? "") && offeredIn(m[1] as TemplateCategory).length === 0 ? null : c;
  }
  const def = getTemplate(c);
  if (!def) throw new Error(`panel refers to unknown template ${c}`);
  return isOffered(def) ? tpl(def.button, c) : null;
}

/** The panel's rows with what it cannot offer left out (and rows left empty dropped). */
function panelRows(rows: Cell[][]): Button[][] {
  return rows.map((r) => r.map(cell).filter((b): b is Button => b !== null)).filter((r) => r.length > 0);
}

const PANELS: Record<Exclude<PanelId, "home" | "help" | "templates" | "upstream">, Panel> = {
  dash: {
    text: "📊 Отчёты\nФокус-панели, быстрые отчёты и все отчёты списком.",
    rows: [
      [nav("🔥 Горит", "focus:burn"), nav("💰 Деньги", "focus:money"), nav("📦 Склад", "focus:stock")],
      ["RPT_KPI_YESTERDAY", "RPT_KPI_7D"],
      ["RPT_REVENUE_TREND_30D_PNG", "RPT_WEEKLY_PDF"],
      ["BIZ_DASHBOARD_DAILY_PNG"],
      [cat("📚 Все отчёты", "reports"), HOME],
    ],
  },
  "focus:burn": {
    text: "🔥 Что горит\nЗависшие заказы, оплата, отправка, чаты без ответа и ошибки.",
    rows: [
      ["RPT_STUCK_ORDERS_SUMMARY", "ORD_PAYMENT_ISSUES"],
      ["ORD_LATE_SHIP", "RPT_UNANSWERED_CHATS_SUMMARY"],
      ["SYS_LAST_ERRORS", "TEAM_QUEUE_SUMMARY"],
      [back("dash"), HOME],
    ],
  },
  "focus:money": {
    text: "💰 Деньги\nKPI, динамика выручки, сравнение и курс валют.",
    rows: [
      ["RPT_KPI_TODAY", "RPT_KPI_YESTERDAY"],
      ["RPT_REVENUE_TREND_30D_PNG", "RPT_COMPARE_WOW"],
      ["PRC_FX_STATUS", "PRC_FX_AUTO", "PRC_FX_REPRICE"],
      [back("dash"), HOME],
    ],
  },
  "focus:stock": {
    text: "📦 Склад\nОстатки, пробелы в карточках, лидеры продаж и закупка.",
    rows: [
      ["PRD_INVENTORY_STATUS", "PRD_LOW_STOCK"],
      ["PRD_NO_PHOTO", "PRD_NO_PRICE"],
      ["RPT_TOP_PRODUCTS_7D", "FRC_REORDER_PLAN"],
      [back("dash"), HOME],
    ],
  },
  orders: {
    text: "📦 Заказы\nПроблемные заказы, поиск и команда. Пометки и сообщения команде — с предпросмотром.",
    rows: [
      ["ORD_STUCK_LIST", "ORD_PAYMENT_ISSUES", "ORD_LATE_SHIP"],
      ["TEAM_UNANSWERED_2H", "ORD_FIND_BY_ID"],
      ["ORD_FLAG", "ORD_BULK_FLAG", "ORD_NOTIFY_TEAM"],
      ["ORD_FIND_RECENT", "ORD_FIND_BY_PHONE", { text: "🛡 Риски", action: { t: "tool", tool: "truststack_signals", input: {} } }],
      [cat("📚 Все заказы", "orders"), cat("👥 Команда", "team"), HOME],
    ],
  },
  prices: {
    text: "💱 Цены\nКурс, пересчёт, изменение на % и откат, уведомления о курсе. Любое изменение — с предпросмотром.",
    rows: [
      ["PRC_FX_STATUS", "PRC_FX_AUTO"],
      ["PRC_FX_REPRICE", "PRC_BUMP"],
      ["PRC_FX_SETTINGS", "PRC_FX_ROLLBACK"],
      ["NTF_FX_DELTA_SUBSCRIBE", "NTF_FX_DELTA_UNSUBSCRIBE"],
      [cat("📚 Все цены", "prices"), cat("🏷 Скидки", "discounts"), HOME],
    ],
  },
  products: {
    text: "🛍 Товары\nСклад, карточки без фото и цены, продажи и возвраты. Цены и публикация — с предпросмотром.",
    rows: [
      ["PRD_INVENTORY_STATUS", "PRD_LOW_STOCK"],
      ["PRD_NO_PHOTO", "PRD_NO_PRICE"],
      ["PRD_SALES_RANK_30D", "PRD_RETURN_FLAGS"],
      ["PRD_UPDATE_PRICE", "PRD_PUBLISH_IDS", "PRD_ARCHIVE_IDS"],
      [cat("📚 Все товары", "products"), cat("👗 Луки", "looks"), cat("🏷 Скидки", "discounts")],
      [HOME],
    ],
  },
  notify: {
    text: "🔔 Уведомления\nДайджесты, недельный отчёт и оповещения о курсе.",
    rows: [
      ["NTF_STATUS", "NTF_SEND_DIGEST_NOW"],
      ["NTF_DAILY_DIGEST_SUBSCRIBE", "NTF_DAILY_DIGEST_UNSUBSCRIBE"],
      ["NTF_FX_DELTA_SUBSCRIBE", "NTF_FX_DELTA_UNSUBSCRIBE"],
      ["NTF_SEND_WEEKLY_NOW", cat("📚 Все", "notifications"), HOME],
    ],
  },
  systems: {
    text: "⚙️ Система\nЗдоровье, ошибки, журнал, ретро и источник данных.",
    rows: [
      ["SYS_HEALTH", "SYS_LAST_ERRORS", "SYS_AUDIT_RECENT"],
      ["SYS_RETRO_7D", "SYS_RETRO_30D", "SYS_GAPS_30D"],
      ["SYS_RETRO_EXPORT_7D", "SYS_SIS_ACTIONS_CAPABILITIES"],
      ["SYS_ONBOARD_STATUS", nav("🩺 Диагностика", "cmd:systems")],
      [nav("🔌 Данные", "upstream"), nav("🧰 Инструменты", "tools"), nav("🧩 Шаблоны", "templates")],
      [HOME],
    ],
  },
  advisor: {
    text: "🧠 Советник\nГипотезы, риски и что проверить по теме; «на основе наших данных» — сводка из отчётов магазина. Советы — гипотезы, цифры — только из отчётов.",
    rows: [
      [nav("🌦 Сезон и тренды", "advisor:preset:SEASON_TRENDS"), nav("🏷 Акции", "advisor:preset:PROMO_STRATEGY")],
      [nav("💲 Цены", "advisor:preset:PRICING_STRATEGY"), nav("🗂 Ассортимент", "advisor:preset:ASSORTMENT_STRATEGY")],
      [nav("🔥 Приоритеты", "advisor:preset:OPS_PRIORITY"), nav("🚀 Рост", "advisor:preset:GROWTH_PLAN")],
      [HOME],
    ],
  },
  tools: {
    text: "🧰 Инструменты\nСписок всех инструментов бота и выгрузки.",
    rows: [[nav("📋 Список", "cmd:tools"), "ADV_EXPORT_JSON"], [cat("🧪 Расширенные", "advanced")], [back("systems"), HOME]],
  },
};

export type UpstreamStatus = Pick<HomeStatus, "mode" | "effectiveMode" | "override">;

function upstreamPanel(s?: UpstreamStatus): Reply {
  const lines = ["🔌 Источник данных", "Демо — данные демо-магазина; SIS — живой магазин; авто — SIS, а при сбое демо."];
  if (s) {
    lines.push("", `Сейчас: ${modeLabel(s.effectiveMode)}`, `В настройках: ${modeLabel(s.mode)}`);
    if (s.override) lines.push(`Переключено вручную: ${modeLabel(s.override)}`);
  }
  return {
    text: lines.join("\n"),
    editInPlace: true,
    panel: true,
    buttons: [
      [nav("🧪 Демо", "upstream:set:DEMO"), nav("🤖 Авто", "upstream:set:AUTO"), nav("🏪 SIS", "upstream:set:SIS_HTTP")],
      [nav("♻️ Как в настройках", "upstream:clear"), nav("🔍 Проверить SIS", "cmd:sis_check")],
      [nav("🪞 Сверка демо и SIS", "cmd:shadow_check")],
      [back("systems"), HOME],
    ],
  };
}

/**
 * The panel for a navigation target, or undefined when the target is not a panel (template
 * runs, presets, mode switches and commands are for the worker to act on).
 */
export function sectionPanel(to: string, status?: HomeStatus): Reply | undefined {
  const target = parseNavTarget(to);
  if (!target) return undefined;
  if (target.kind === "tpl_cat") return templateCategoryPanel(target.category, target.page);
  if (target.kind !== "panel") return undefined;
  switch (target.panel) {
    case "home":
      return homePanel(status);
    case "help":
      return helpReply();
    case "templates":
      return templatesRoot();
    case "upstream":
      return upstreamPanel(status);
    default: {
      const p = PANELS[target.panel];
      return { text: p.text, editInPlace: true, panel: true, buttons: panelRows(p.rows) };
    }
  }
}
