import type { ToolContext } from "../contract.ts";
import { formatDay } from "../format/dates.ts";
import type { ReportBlock, ReportDoc } from "@ownerbot/core/queue";
import { countText, docBase } from "./common.ts";
import { RULE_RU } from "./daily.ts";
import { evaluateOpsRules, OPS_RULE_NAMES, opsRule, type OpsRuleHit, type OpsRuleName, type OpsSnapshot } from "./ops-snapshot.ts";
import { chatLine, errorLine, orderLine, productLine } from "./rows.ts";
import { sourceKinds } from "../quality/source-labels.ts";

// The ops report (reference §7 render_ops_pdf): counts against the owner's rules, the first three
// items of each problem, what to do about the ones that fire, and the parts that could not be read.

export type OpsReport = { text: string; doc: ReportDoc; hits: OpsRuleHit[] };

const ACTIONS: Record<OpsRuleName, string> = {
  unanswered: "Ответить клиентам, которые ждут дольше всех (очередь команды)",
  stuck: "Разобрать зависшие заказы: связаться с клиентом или отменить",
  payment: "Проверить неоплаченные и отклонённые платежи",
  errors: "Посмотреть последние ошибки бота",
  outOfStock: "Дозаказать или скрыть товары, которых нет в наличии",
  lowStock: "Проверить план закупки для товаров с малым остатком",
};

const ICON: Record<OpsRuleName, string> = { unanswered: "💬", stuck: "🧊", payment: "💳", errors: "🚨", outOfStock: "📦", lowStock: "📉" };

function label(name: OpsRuleName, s: OpsSnapshot): string {
  const r = s.rules;
  if (name === "unanswered") return `Чаты без ответа > ${r.unansweredThresholdHours} ч`;
  if (name === "errors") return `Ошибки за ${r.errorsWindowHours} ч`;
  if (name === "lowStock") return `Мало на складе (≤ ${r.lowStockLte} шт.)`;
  if (name === "payment") return "Проблемы с оплатой";
  if (name === "stuck") return "Зависшие заказы";
  return "Нет в наличии";
}

function topLines(name: OpsRuleName, s: OpsSnapshot, ctx: ToolContext): string[] {
  const now = new Date(s.now);
  switch (name) {
    case "unanswered":
      return s.unanswered.top.map((t) => chatLine(t, now));
    case "stuck":
      return s.stuck.top.map((o) => orderLine(o, ctx.shop));
    case "payment":
      return s.payment.top.map((o) => orderLine(o, ctx.shop));
    case "errors":
      return s.errors.top.map((e) => errorLine(e, ctx.shop.timeZone));
    case "outOfStock":
      return s.outOfStock.top.map(productLine);
    case "lowStock":
      return s.lowStock.top.map(productLine);
  }
}

export function buildOpsReport(ctx: ToolContext, s: OpsSnapshot, opts: { tz?: string } = {}): OpsReport {
  const loc = ctx.shop.locale;
  const tz = opts.tz ?? ctx.shop.timeZone;
  const hits = evaluateOpsRules(s);
  const fired = new Set(hits.map((h) => h.rule));
  const failed = OPS_RULE_NAMES.filter((n) => s[n].count === null);
  const source = `Данные: ${sourceKinds(s.sources)}`;

  const text: string[] = [`🛠 Операционный отчёт на ${formatDay(s.today)}`];
  text.push(
    OPS_RULE_NAMES.map((n) => `${ICON[n]} ${label(n, s)}: ${countText(s[n].count, loc, s[n].capped)}${fired.has(n) ? " ❗" : ""}`).join(
      "\n",
    ),
  );
  text.push(
    hits.length === 0 ? "✅ Ни одно правило не сработало." : ["Что сделать:", ...hits.map((h) => `• ${ACTIONS[h.rule]}`)].join("\n"),
  );
  const warnings = failed.map((n) => `Недоступно: ${RULE_RU[n]}`).slice(0, 3);
  text.push([source, ...warnings.map((w) => `⚠️ ${w}`)].join("\n"));

  const blocks: ReportBlock[] = [
    {
      kind: "table",
      columns: ["Показатель", "Сейчас", "Порог", "Статус"],
      rows: OPS_RULE_NAMES.map((n) => {
        const { enabled, min } = opsRule(s.rules, n);
        const status = s[n].count === null ? "нет данных" : !enabled ? "правило выключено" : fired.has(n) ? "сработало" : "в норме";
        return [label(n, s), countText(s[n].count, loc, s[n].capped), `≥ ${Math.max(min, 1)}`, status];
      }),
      align: ["left", "right", "right", "left"],
    },
  ];
  for (const n of OPS_RULE_NAMES) {
    const lines = topLines(n, s, ctx);
    if (lines.length === 0) continue;
    blocks.push({ kind: "heading", text: `${label(n, s)}: ${countText(s[n].count, loc, s[n].capped)}` }, { kind: "list", items: lines });
  }
  blocks.push({ kind: "heading", text: "Что сделать" });
  blocks.push({
    kind: "list",
    items: hits.length === 0 ? ["Ничего срочного: ни одно правило не сработало."] : hits.map((h) => ACTIONS[h.rule]),
  });
  if (warnings.length > 0) blocks.push({ kind: "warnings", items: warnings });

  const doc: ReportDoc = {
    title: "Операционный отчёт",
    subtitle: `Что требует внимания на ${formatDay(s.today)}`,
    ...docBase(ctx.now, new Date(s.now), ctx.shop, tz),
    blocks,
    footer: source,
  };
  return { text: text.join("\n\n"), doc, hits };
}
