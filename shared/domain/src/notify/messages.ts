import type { ShopSettings } from "../contract.ts";
import { formatDateTime, formatDuration } from "../format/dates.ts";
import { formatNumber, formatPercent } from "../format/numbers.ts";
import type { EscalationReason } from "./escalation.ts";
import type { FxApplyEvent } from "./fx.ts";
import type { QuietReason } from "./due.ts";

// The scheduler's own short messages to the owner (Russian). The digest and the weekly report
// bring their own texts (digest/daily.ts, digest/weekly.ts).

type Part = { count: number | null; top: readonly unknown[] };
export type OpsAlertView = { unanswered: Part; stuck: Part; payment: Part; errors: Part; outOfStock: Part; lowStock: Part };
type Hit = { rule: "unanswered" | "stuck" | "payment" | "errors" | "outOfStock" | "lowStock"; count: number };

const OPS_LABEL: Record<Hit["rule"], string> = {
  unanswered: "💬 Чаты без ответа",
  stuck: "⏳ Зависшие заказы",
  payment: "💳 Проблемы с оплатой",
  errors: "⚠️ Ошибки",
  outOfStock: "📦 Нет в наличии",
  lowStock: "📉 Заканчиваются",
};

function ids(p: Part): string {
  const out = p.top
    .map((x) => {
      const o = x as Record<string, unknown>;
      const id = o["orderId"] ?? o["threadId"] ?? o["productId"] ?? o["eventType"];
      return typeof id === "string" ? id : null;
    })
    .filter((x): x is string => x !== null)
    .slice(0, 3);
  return out.length > 0 ? ` (${out.join(", ")})` : "";
}

export function opsAlertText(
  view: OpsAlertView,
  hits: readonly Hit[],
  shop: ShopSettings,
  rules: { unansweredThresholdHours: number; errorsWindowHours: number },
): string {
  const lines = hits.map((h) => {
    const extra =
      h.rule === "unanswered"
        ? ` дольше ${rules.unansweredThresholdHours} ч`
        : h.rule === "errors"
          ? ` за ${rules.errorsWindowHours} ч`
          : "";
    return `${OPS_LABEL[h.rule]}${extra}: ${formatNumber(h.count, shop.locale)}${ids(view[h.rule])}`;
  });
  return ["🚨 Операционные сигналы", ...lines, "", "Подробнее: «что горит» или /ops"].join("\n");
}

const ESC_LABEL: Record<EscalationReason["code"], string> = {
  fx_failed: "последнее обновление цен по курсу не удалось",
  out_of_stock: "товары закончились",
  stuck_orders: "зависшие заказы",
  errors_spike: "всплеск ошибок",
  unanswered_chats: "много чатов без ответа",
};

export function escalationText(
  reasons: readonly EscalationReason[],
  stage: number,
  firstSeenAt: Date,
  now: Date,
  shop: ShopSettings,
): string {
  const lines = reasons.map((r) => `• ${ESC_LABEL[r.code]}${r.count !== null ? `: ${formatNumber(r.count, shop.locale)}` : ""}`);
  return [
    `🔴 КРИТИЧНО: проблема не уходит (этап ${stage})`,
    ...lines,
    `Замечено: ${formatDateTime(firstSeenAt, shop.timeZone, now)} (${formatDuration(now.getTime() - firstSeenAt.getTime())} назад)`,
    "",
    "Ответьте «принято», чтобы больше не напоминать об этом, или «пауза 12ч».",
  ].join("\n");
}

export function fxDeltaText(
  rate: number,
  label: string | null,
  previous: number | null,
  deltaPct: number | null,
  shop: ShopSettings,
): string {
  const r = formatNumber(rate, shop.locale, 4);
  const pair = label ? ` ${label}` : "";
  if (previous === null || deltaPct === null) return `💱 Курс${pair}: ${r}. Буду сообщать о заметных изменениях.`;
  return `💱 Курс${pair} изменился: ${formatNumber(previous, shop.locale, 4)} → ${r} (${formatPercent(deltaPct, shop.locale, { digits: 2 })})`;
}

const APPLY_HEAD: Record<FxApplyEvent["result"], string> = {
  applied: "✅ Цены обновлены по курсу",
  noop: "ℹ️ Пересчёт цен по курсу: изменений нет",
  failed: "❌ Не удалось обновить цены по курсу",
};

export function fxApplyText(e: FxApplyEvent, shop: ShopSettings, now: Date): string {
  const at = Number.isNaN(Date.parse(e.at)) ? e.at : formatDateTime(new Date(e.at), shop.timeZone, now);
  const lines = [`${APPLY_HEAD[e.result]} (${at})`];
  if (e.affected !== null) lines.push(`Товаров затронуто: ${formatNumber(e.affected, shop.locale)}`);
  if (e.rate !== null)
    lines.push(
      `Курс: ${formatNumber(e.rate, shop.locale, 4)}${e.deltaPct !== null ? ` (${formatPercent(e.deltaPct, shop.locale, { digits: 2 })})` : ""}`,
    );
  if (e.reason) lines.push(`Причина: ${e.reason}`);
  if (e.error) lines.push(`Ошибка: ${e.error}`);
  return lines.join("\n");
}

const QUIET_LABEL: Record<QuietReason, string> = {
  revenue_drop: "выручка упала",
  orders_drop: "заказов стало меньше",
  ops: "есть операционные сигналы",
  errors: "есть ошибки",
  fx_failed: "обновление цен по курсу не удалось",
  heartbeat: "давно не было дайджеста",
};

/** The first line of a quiet digest: why it was sent today. */
export function quietReasonLine(reasons: readonly QuietReason[]): string {
  return `🤫 Тихий дайджест: ${reasons.map((r) => QUIET_LABEL[r]).join(", ")}`;
}
