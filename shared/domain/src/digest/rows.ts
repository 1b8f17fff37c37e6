import type { ShopSettings } from "../contract.ts";
import { formatDateTime, formatDuration } from "../format/dates.ts";
import { truncate } from "../format/text.ts";
import { describeEvent } from "../presenters/audit-labels.ts";
import { money, orderStatusRu, paymentStatusRu } from "../presenters/common.ts";
import type { ChatThread, OrderSummary, ProductRow } from "../tools/provider.ts";
import type { OpsErrorItem } from "./ops-snapshot.ts";

// One line or table row per chat, order, product or error, for the report documents and texts.

export function chatLine(t: ChatThread, now: Date): string {
  const who = t.customerName ?? t.customerId;
  const assignee = t.assigneeName ? ` · ${t.assigneeName}` : " · не назначен";
  return `${who}: «${truncate(t.subject, 50)}» — ждёт ${formatDuration(now.getTime() - t.lastCustomerMessageAt.getTime())}${assignee}`;
}

export function chatRow(t: ChatThread, now: Date): string[] {
  return [
    t.customerName ?? t.customerId,
    truncate(t.subject, 40),
    formatDuration(now.getTime() - t.lastCustomerMessageAt.getTime()),
    t.assigneeName ?? "—",
  ];
}
export const CHAT_COLUMNS = ["Клиент", "Тема", "Ждёт", "Ответственный"];

/** "ожидает оплаты" says the payment state already; other statuses add it. */
function statusText(o: OrderSummary): string {
  return o.status === "pending" ? orderStatusRu(o.status) : `${orderStatusRu(o.status)}, оплата ${paymentStatusRu(o.paymentStatus)}`;
}

export function orderLine(o: OrderSummary, shop: ShopSettings): string {
  return `${o.orderId} · ${money(o.amount, shop, true)} · ${statusText(o)} · ${formatDateTime(o.createdAt, shop.timeZone)}`;
}

export function orderRow(o: OrderSummary, shop: ShopSettings): string[] {
  return [
    o.orderId,
    money(o.amount, shop, true),
    orderStatusRu(o.status),
    paymentStatusRu(o.paymentStatus),
    formatDateTime(o.createdAt, shop.timeZone),
  ];
}
export const ORDER_COLUMNS = ["Заказ", "Сумма", "Статус", "Оплата", "Создан"];
export const ORDER_ALIGN: ("left" | "right")[] = ["left", "right", "left", "left", "left"];

export function productLine(p: ProductRow): string {
  return `${truncate(p.title, 60)} (${p.productId}) — ${p.stockQty} шт.`;
}

export function errorLine(e: OpsErrorItem, tz: string): string {
  const detail = { ...(e.tool ? { tool: e.tool } : {}), ...(e.code ? { error_code: e.code } : {}) };
  return `${formatDateTime(new Date(e.occurredAt), tz)} · ${describeEvent(e.eventType, detail)}`;
}
