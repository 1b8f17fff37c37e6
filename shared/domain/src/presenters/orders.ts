import type { Button, Reply, ToolContext, ToolResult } from "../contract.ts";
import { formatDateTime, formatDay, formatDuration, formatPeriod } from "../format/dates.ts";
import { formatNumber } from "../format/numbers.ts";
import { ORDERS, plural } from "../format/plural.ts";
import { truncate } from "../format/text.ts";
import type { OrderDetailData, OrdersSearchData } from "../tools/results/orders.ts";
import {
  blocks,
  footer,
  grid,
  money,
  orderStatusRu,
  pageSizeOf,
  paymentMethodRu,
  paymentStatusRu,
  refundReasonRu,
  resultPager,
  shippingStatusRu,
  toolButton,
} from "./common.ts";

const PRESET_TITLE = {
  stuck: "⏳ Зависшие заказы",
  late_ship: "🚚 Просроченная отправка",
  payment_issues: "💳 Проблемы с оплатой",
} as const;

function searchTitle(d: OrdersSearchData): string {
  const f = d.appliedFilters;
  if (f.preset) return PRESET_TITLE[f.preset];
  if (f.q) return `🔎 Заказы по запросу «${truncate(f.q, 30)}»`;
  if (f.status) return `🧾 Заказы: ${orderStatusRu(f.status)}`;
  if (f.flagged) return "🚩 Помеченные заказы";
  if (f.fromDay && f.toDay)
    return f.fromDay === f.toDay ? `🧾 Заказы за ${formatDay(f.fromDay)}` : `🧾 Заказы за ${formatPeriod(f.fromDay, f.toDay)}`;
  return "🧾 Последние заказы";
}

export function presentOrdersSearch(result: ToolResult<OrdersSearchData>, ctx: ToolContext): Reply[] {
  const d = result.data;
  const shop = ctx.shop;
  const size = pageSizeOf(result);
  const shown = d.items.slice(0, size);
  const count = d.countCapped ? `больше ${formatNumber(d.count, shop.locale)}` : formatNumber(d.count, shop.locale);
  const head = d.count === 0 ? "Ничего не найдено." : `Найдено: ${count} ${plural(d.countCapped ? 5 : d.count, ORDERS)}`;
  const rows = shown.map((o) => {
    const flag = o.flagged ? " 🚩" : "";
    const pay = o.paymentStatus !== "paid" ? ` · оплата ${paymentStatusRu(o.paymentStatus)}` : "";
    return `• ${o.orderId} · ${money(o.amount, shop)} · ${orderStatusRu(o.status)}${pay} · ${formatDateTime(o.createdAt, shop.timeZone, ctx.now)}${flag}`;
  });
  const open: Button[] = shown.map((o) => toolButton(`#${o.orderNo}`, "order_detail", { order_id: o.orderId }));
  const notes: string[] = [];
  if (d.appliedFilters.preset === "payment_issues") {
    notes.push(`Неудачные оплаты и ожидающие дольше ${d.appliedFilters.sinceHours ?? 2} ч, за 30 дней.`);
  }
  if (d.appliedFilters.preset === "stuck") notes.push("Статус «завис» или оплата ждёт дольше 6 ч.");
  return [
    {
      text: blocks(searchTitle(d), head, rows, notes, footer(result)),
      buttons: [...grid(open, 5), ...resultPager(result, "orders_search", { offset: d.offset, pageSize: size, total: d.count })],
    },
  ];
}

export function presentOrderDetail(result: ToolResult<OrderDetailData>, ctx: ToolContext): Reply[] {
  const o = result.data;
  const shop = ctx.shop;
  const tz = shop.timeZone;
  const at = (t: Date): string => formatDateTime(t, tz, ctx.now);
  const main = [
    `Сумма: ${money(o.amount, shop)}${o.couponCode ? ` · купон ${o.couponCode}` : ""}`,
    `Статус: ${orderStatusRu(o.status)} · оплата: ${paymentStatusRu(o.paymentStatus)} · доставка: ${shippingStatusRu(o.shippingStatus)}`,
    `Создан: ${at(o.createdAt)}${o.paidAt ? ` · оплачен: ${at(o.paidAt)}` : ""}${o.shippedAt ? ` · отправлен: ${at(o.shippedAt)}` : ""}`,
  ];
  if (o.shipDueAt && !o.shippedAt) {
    main.push(`Отправить до: ${at(o.shipDueAt)}${o.shipOverdueMs !== null ? ` — просрочено на ${formatDuration(o.shipOverdueMs)}` : ""}`);
  }
  if (o.flagged)
    main.push(`🚩 Метка: ${o.flagReason ? `«${truncate(o.flagReason, 120)}»` : "без причины"}${o.flaggedAt ? `, ${at(o.flaggedAt)}` : ""}`);
  const c = o.customer;
  const customer = c ? `Клиент: ${c.name} · ${c.phone}${c.email ? ` · ${c.email}` : ""}` : `Клиент: ${o.customerId} · ${o.customerPhone}`;
  const items = o.items
    .slice(0, 10)
    .map((i) => `• ${truncate(i.title ?? i.productId, 40)} × ${i.qty} · ${money(i.qty * i.unitPrice, shop)}`);
  if (o.items.length > 10) items.push(`… и ещё ${o.items.length - 10}`);
  const payments = o.payments.map(
    (p) => `• ${paymentMethodRu(p.method)} ${money(p.amount, shop)} · ${paymentStatusRu(p.status)} · ${at(p.createdAt)}`,
  );
  const refunds = o.refunds.map((r) => `• ${money(r.amount, shop)} · ${refundReasonRu(r.reason)} · ${at(r.createdAt)}`);
  return [
    {
      text: blocks(
        `🧾 Заказ ${o.orderId}${o.flagged ? " 🚩" : ""}`,
        main,
        customer,
        items.length > 0 && ["Товары:", ...items],
        payments.length > 0 && ["Платежи:", ...payments],
        refunds.length > 0 && ["Возвраты:", ...refunds],
        footer(result, { period: false }),
      ),
      buttons: [[toolButton("Все заказы клиента", "orders_search", { q: o.customerPhone })]],
    },
  ];
}
