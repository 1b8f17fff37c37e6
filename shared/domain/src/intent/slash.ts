import { addDays } from "../format/dates.ts";
import { runTemplateWith } from "../templates/flow.ts";
import { chats, compare, horizon, inventory, kpiOrTrend, ordersSearch, revenueTrend, tool, topProducts, windowed } from "./builders.ts";
import { findOrderId, orderIdFrom } from "./extract.ts";
import { clamp, DEFAULTS, LIMITS } from "./limits.ts";
import { Message } from "./message.ts";
import { needsInput, unknown } from "./replies.ts";
import { notifyIntent } from "./rules-action.ts";
import { coupons, orders, stock, WEEKLY_PDF } from "./rules-read.ts";
import { trimLead } from "./text.ts";
import type { Intent, RouteContext, SystemCommand } from "./types.ts";

// Slash commands. They are routed before anything else and never depend on a pending template
// input or wizard (reference gap #1): the worker checks isCommandText() first.

const COMMAND = /^\/([A-Za-z0-9_]{1,32})(?:@([A-Za-z0-9_]{1,64}))?(?:\s+([\s\S]*))?$/u;

export function isCommandText(text: string): boolean {
  return COMMAND.test(text.trimStart().slice(0, 200).split(/\s/u, 1)[0] ?? "");
}

const SYSTEM = new Set<SystemCommand>([
  "start",
  "menu",
  "help",
  "tools",
  "templates",
  "systems",
  "upstream",
  "upstream_demo",
  "upstream_sis",
  "upstream_auto",
  "upstream_clear",
  "sis_check",
  "shadow_check",
  "tpl_rate_set",
  "cancel",
]);

type Handler = (args: Message, raw: string) => Intent;

/** A bare number after a command means days (or hours for /chats). */
const withUnit = (raw: string, unit: string): string => (/^\d{1,4}$/.test(raw.trim()) ? `${raw.trim()} ${unit}` : raw);

function trend(a: Message, raw: string): Intent {
  const n = /^\s*(\d{1,4})\s*$/.exec(raw);
  if (n?.[1]) {
    const notes: string[] = [];
    const days = clamp(Number(n[1]), LIMITS.trendDays, "Дней в графике", notes);
    return tool("revenue_trend", { days }, notes, "chart");
  }
  const p = a.period;
  return revenueTrend(a, p?.kind === "range" || p?.kind === "day" ? p : undefined, "chart");
}

function flag(raw: string): Intent {
  const m = /^\s*(?:ob\s?-?\s?|#|№\s*)?(\d{1,12})\b[\s,:;-]*([\s\S]*)$/iu.exec(raw);
  if (!m?.[1]) return needsInput("🚩 Формат: /flag 1234 причина", "ORD_FLAG", "✍️ Указать заказ");
  const reason = trimLead((m[2] ?? "").replace(/^(?:причина|reason)\s*:?/iu, "")).slice(0, 300);
  const orderId = orderIdFrom(m[1]);
  return tool("flag_order", reason ? { order_id: orderId, reason } : { order_id: orderId });
}

function tplBump(raw: string, ctx: RouteContext): Intent {
  if (raw.trim() === "") return { kind: "nav", to: "tpl:run:PRC_BUMP" };
  const step = runTemplateWith("PRC_BUMP", { bump_percent: raw.trim() }, ctx);
  if (step.kind === "run") return tool(step.tool, step.input);
  if (step.kind === "ask") return { kind: "nav", to: "tpl:run:PRC_BUMP" };
  return { kind: "clarify", reply: step.reply };
}

const COMMANDS: Record<string, Handler> = {
  kpi: (a) => kpiOrTrend(a, { trend: false, kpi: true }),
  today: (a) => tool("kpi_snapshot", { day: a.today }),
  yesterday: (a) => tool("kpi_snapshot", { day: addDays(a.today, -1) }),
  week: () => tool("revenue_trend", { days: 7 }),
  month: () => tool("revenue_trend", { days: 30 }),
  trend,
  compare: (a) => compare(a, false),
  orders: (a) => orders(a) ?? ordersSearch(a),
  order: (a, raw) => {
    const id = findOrderId(a.norm) ?? findOrderId(`заказ ${a.norm}`);
    if (id) return tool("order_detail", { order_id: id.value });
    return raw.trim() === ""
      ? { kind: "nav", to: "tpl:run:ORD_FIND_BY_ID" }
      : needsInput("🔎 Формат: /order 1234", "ORD_FIND_BY_ID", "✍️ Ввести номер");
  },
  stuck: (a) => ordersSearch(a, "stuck"),
  late: (a) => ordersSearch(a, "late_ship"),
  payments: (a) => ordersSearch(a, "payment_issues"),
  stock: (a) => stock(a) ?? inventory(a, "all"),
  lowstock: (a) => inventory(a, "low_stock"),
  outofstock: (a) => inventory(a, "out_of_stock"),
  nophoto: (a) => inventory(a, "missing_photo"),
  top: (a) => topProducts(a),
  bottom: (a) => topProducts(a, { direction: "bottom" }),
  categories: (a) => topProducts(a, { group_by: "category" }),
  funnel: (a, raw) => windowed(new Message(withUnit(raw, "дней"), a.ctx), "funnel_snapshot"),
  refunds: (a, raw) => windowed(new Message(withUnit(raw, "дней"), a.ctx), "refunds_anomalies"),
  chats: (a, raw) => chats(new Message(withUnit(raw, "ч"), a.ctx)),
  team: () => tool("team_queue_summary", {}),
  coupons: (a) => coupons(a),
  forecast: (a, raw) => horizon(new Message(withUnit(raw, "дней"), a.ctx), "demand_forecast"),
  reorder: (a, raw) => horizon(new Message(withUnit(raw, "дней"), a.ctx), "reorder_plan"),
  dashboard: (a) => tool("biz_dashboard_daily", { format: /pdf/u.test(a.norm) ? "pdf" : /текст|text/u.test(a.norm) ? "text" : "png" }),
  weekly_pdf: () => tool("biz_dashboard_weekly", { ...WEEKLY_PDF }),
  errors: () => tool("sys_last_errors", { limit: DEFAULTS.auditLimit }),
  audit: () => tool("sys_audit_recent", { limit: DEFAULTS.auditLimit }),
  health: () => tool("sys_health", {}),
  retro: (a) => tool("retro_summary", { period_days: /30|месяц|month/u.test(a.norm) ? 30 : 7 }),
  fx: () => tool("sis_fx_status", {}),
  flag: (_a, raw) => flag(raw),
  notify: (_a, raw) => notifyIntent(raw, undefined),
  tpl_bump: (a, raw) => tplBump(raw, a.ctx),
};

/** Every command name the router understands (system commands included), for docs and tests. */
export const COMMAND_NAMES: readonly string[] = [...SYSTEM, ...Object.keys(COMMANDS)];

/** Routes "/name[@bot] args"; undefined when the text is not a command at all. */
export function routeCommand(clean: string, ctx: RouteContext): Intent | undefined {
  const m = COMMAND.exec(clean);
  if (!m?.[1]) return undefined;
  const name = m[1].toLowerCase();
  const bot = m[2];
  if (bot && ctx.botUsername && bot.toLowerCase() !== ctx.botUsername.replace(/^@/, "").toLowerCase()) {
    return unknown("Эта команда адресована другому боту.");
  }
  const raw = m[3] ?? "";
  if (SYSTEM.has(name as SystemCommand)) return { kind: "command", name: name as SystemCommand, args: raw.trim() };
  const handler = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!handler) return unknown(`Не знаю команду /${name.replace(/[^a-z0-9_]/g, "")}. Список команд и примеры — /help`);
  return handler(new Message(raw, ctx), raw);
}
