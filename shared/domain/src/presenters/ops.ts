import type { Reply, ShopSettings, ToolContext, ToolResult } from "../contract.ts";
import { formatDateTime, formatDuration } from "../format/dates.ts";
import { formatNumber, NBSP } from "../format/numbers.ts";
import { CHATS, countOf, COUPONS, USES } from "../format/plural.ts";
import { truncate } from "../format/text.ts";
import type { ChatThread } from "../tools/provider.ts";
import type {
  ChatsUnansweredData,
  CouponRow,
  CouponState,
  CouponsStatusData,
  CouponsTopUsedData,
  TeamQueueData,
} from "../tools/results/ops.ts";
import { blocks, footer, money, pageSizeOf, resultPager, toolButton } from "./common.ts";

function threadLine(t: ChatThread, now: Date): string {
  const who = t.customerName ?? t.customerId;
  const waits = formatDuration(now.getTime() - t.lastCustomerMessageAt.getTime());
  const to = t.assigneeName ? ` · ${t.assigneeName}` : " · не назначен";
  return `• ${who}: «${truncate(t.subject, 40)}» — ждёт ${waits}${to}`;
}

export function presentChatsUnanswered(result: ToolResult<ChatsUnansweredData>, _ctx: ToolContext): Reply[] {
  const d = result.data;
  const now = new Date(d.now);
  const size = pageSizeOf(result);
  const cond = d.thresholdHours > 0 ? ` дольше ${d.thresholdHours}${NBSP}ч` : "";
  return [
    {
      text: blocks(
        `💬 Без ответа${cond}: ${countOf(d.count, CHATS)}`,
        d.count === 0 ? "Все клиенты получили ответ." : d.threads.slice(0, size).map((t) => threadLine(t, now)),
        footer(result, { period: false }),
      ),
      buttons: [
        ...resultPager(result, "chats_unanswered", { offset: d.offset, pageSize: size, total: d.count }),
        [toolButton("👥 Очередь команды", "team_queue_summary", {})],
      ],
    },
  ];
}

export function presentTeamQueue(result: ToolResult<TeamQueueData>, _ctx: ToolContext): Reply[] {
  const d = result.data;
  const now = new Date(d.now);
  const counts = [`Без ответа: ${countOf(d.total, CHATS)}`, `Ждут > 2 ч: ${d.over2h} · > 6 ч: ${d.over6h} · > 24 ч: ${d.over24h}`];
  const people = d.byAssignee.slice(0, 10).map((a) => `• ${a.name ?? (a.memberId ? a.memberId : "не назначены")}: ${a.count}`);
  const oldest = d.topOverdue.map((t) => threadLine(t, now));
  return [
    {
      text: blocks(
        "👥 Очередь команды",
        counts,
        people.length > 0 && ["По сотрудникам:", ...people],
        oldest.length > 0 && ["Дольше всех ждут:", ...oldest],
        `👉 ${d.recommendation}`,
        footer(result, { period: false }),
      ),
      buttons: [
        [toolButton("💬 Ждут > 2 ч", "chats_unanswered", { threshold_hours: 2 }), toolButton("Все без ответа", "chats_unanswered", {})],
      ],
    },
  ];
}

const STATE_RU: Record<CouponState, string> = {
  active: "действует",
  scheduled: "ещё не начался",
  expired: "истёк",
  exhausted: "исчерпан",
  disabled: "выключен",
};

/** The same states as counts of coupons ("выключены: 2"). */
const STATES_RU: Record<CouponState, string> = {
  active: "Действуют",
  scheduled: "Ещё не начались",
  expired: "Истекли",
  exhausted: "Исчерпаны",
  disabled: "Выключены",
};

function discount(c: CouponRow, shop: ShopSettings): string {
  return c.percentOff !== null ? `−${formatNumber(c.percentOff, shop.locale, 2)}${NBSP}%` : `−${money(c.amountOff ?? 0, shop)}`;
}

function uses(c: CouponRow, locale: string): string {
  return c.maxUses !== null ? `${formatNumber(c.usedCount, locale)}/${formatNumber(c.maxUses, locale)}` : formatNumber(c.usedCount, locale);
}

export function presentCouponsStatus(result: ToolResult<CouponsStatusData>, ctx: ToolContext): Reply[] {
  const d = result.data;
  const shop = ctx.shop;
  const now = new Date(d.now);
  const states = (Object.keys(STATE_RU) as CouponState[]).filter((s) => s !== "active" && d.byState[s] > 0);
  const soon = d.expiringSoon
    .slice(0, 10)
    .map((c) => `• ${c.code} ${discount(c, shop)} — до ${formatDateTime(c.endsAt ?? now, shop.timeZone, now)}`);
  const top = d.topUsed.map(
    (c) => `• ${c.code} ${discount(c, shop)} · использован ${uses(c, shop.locale)}${c.state === "active" ? "" : ` · ${STATE_RU[c.state]}`}`,
  );
  return [
    {
      text: blocks(
        `🎟 Купоны: действует ${countOf(d.totalActive, COUPONS)}`,
        states.length > 0 && states.map((s) => `${STATES_RU[s]}: ${d.byState[s]}`).join(" · "),
        soon.length > 0 && [`Истекают в ближайшие 7 дней:`, ...soon],
        top.length > 0 && ["Самые используемые за всё время:", ...top],
        footer(result, { period: false }),
      ),
      buttons: [[toolButton("🏆 Топ по использованию", "coupons_top_used", { limit: 10 })]],
    },
  ];
}

export function presentCouponsTopUsed(result: ToolResult<CouponsTopUsedData>, ctx: ToolContext): Reply[] {
  const d = result.data;
  const shop = ctx.shop;
  const rows = d.rows.map(
    (c) =>
      `${c.rank}. ${c.code} ${discount(c, shop)} — ${countOf(c.usedCount, USES)}${c.maxUses !== null ? ` из ${formatNumber(c.maxUses, shop.locale)}` : ""} · ${STATE_RU[c.state]}`,
  );
  return [
    {
      text: blocks(
        "🏆 Купоны по использованию",
        d.rows.length === 0 ? "Купонов нет." : rows,
        `Всего использований: ${formatNumber(d.totalUses, shop.locale)}`,
        footer(result, { period: false }),
      ),
      buttons: [[toolButton("🎟 Статус купонов", "coupons_status", {})]],
    },
  ];
}
