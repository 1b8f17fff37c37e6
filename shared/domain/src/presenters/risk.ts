import type { Button, Reply, ToolContext, ToolResult } from "../contract.ts";
import { formatDateTime } from "../format/dates.ts";
import { countOf, REFUNDS } from "../format/plural.ts";
import { truncate } from "../format/text.ts";
import type { RiskSignalsData } from "../tools/results/risk.ts";
import { blocks, footer, grid, money, orderStatusRu, paymentStatusRu, toolButton } from "./common.ts";

/** "+7 916 ***-**-67": enough to recognise a number in a chat, not enough to copy it around. */
export function maskPhone(phone: string): string {
  const digits = phone.replace(/\D/g, "");
  if (digits.length < 7) return "***";
  const country = digits.length > 10 ? `+${digits.slice(0, digits.length - 10)} ` : "";
  const national = digits.slice(-10);
  return `${country}${national.slice(0, 3)} ***-**-${national.slice(-2)}`;
}

function section(icon: string, title: string, total: number, lines: string[]): string[] {
  if (total === 0) return [`✅ ${title}: нет`];
  const more = total > lines.length ? [`   … и ещё ${total - lines.length}`] : [];
  return [`${icon} ${title}: ${total}`, ...lines.map((l) => `   • ${l}`), ...more];
}

export function presentRiskSignals(result: ToolResult<RiskSignalsData>, ctx: ToolContext): Reply[] {
  const d = result.data;
  const shop = ctx.shop;
  const at = (t: Date): string => formatDateTime(t, shop.timeZone, ctx.now);
  const flagged = section(
    "🚩",
    "Помеченные заказы",
    d.flagged.total,
    d.flagged.items.map(
      (o) => `#${o.orderNo} · ${money(o.amount, shop)} · ${orderStatusRu(o.status)} · ${truncate(o.reason ?? "без причины", 60)}`,
    ),
  );
  const phones = section(
    "💳",
    `Неудачные оплаты с одного телефона (от ${d.rules.minFailed})`,
    d.failedPaymentPhones.total,
    d.failedPaymentPhones.items.map((p) => `${maskPhone(p.phone)} · ${p.failed} неудачных, последняя ${at(p.lastAt)}`),
  );
  const refunders = section(
    "↩️",
    `Клиенты с несколькими возвратами за период (от ${d.rules.minRefunds})`,
    d.repeatRefunders.total,
    d.repeatRefunders.items.map(
      (c) => `${c.name ?? c.customerId} · ${countOf(c.refunded, REFUNDS)} на ${money(c.refundAmount, shop)} (всего заказов: ${c.orders})`,
    ),
  );
  const big = d.bigNewOrders;
  const bar =
    big.threshold !== null && big.averageOrder !== null
      ? ` (от ${money(big.threshold, shop, true)}, ×${d.rules.bigOrderFactor} к среднему чеку ${money(big.averageOrder, shop, true)})`
      : "";
  const bigLines = section(
    "💰",
    `Крупные неотправленные первые заказы новых клиентов${bar}`,
    big.total,
    big.items.map((o) => `#${o.orderNo} · ${money(o.amount, shop)} · оплата: ${paymentStatusRu(o.paymentStatus)}`),
  );
  const head =
    d.firing === 0
      ? `За ${d.days} дн. тревожных сигналов нет.`
      : `За ${d.days} дн. сработало сигналов: ${d.firing} из 4. Проверьте заказы до отправки и возврата денег.`;
  const orderIds = [...d.flagged.items.map((o) => o.orderNo), ...big.items.map((o) => o.orderNo)];
  const orderButtons: Button[] = [...new Set(orderIds)]
    .slice(0, 6)
    .map((no) => toolButton(`#${no}`, "order_detail", { order_id: String(no) }));
  const buttons = [...grid(orderButtons, 3)];
  if (d.flagged.total > 0) buttons.push([toolButton("🚩 Все помеченные", "orders_search", { flagged: true, limit: 20 })]);
  return [{ text: blocks("🛡 Сигналы риска", head, flagged, phones, refunders, bigLines, footer(result)), buttons }];
}
