import type { Button, ShopSettings, ToolResult } from "../contract.ts";
import { formatPeriod } from "../format/dates.ts";
import { formatMoney } from "../format/numbers.ts";
import { truncate } from "../format/text.ts";
import { sourceKinds } from "../quality/source-labels.ts";

// Pieces every presenter shares: the footer with period and source, warnings, pager buttons.

/** Rows per message; longer lists page. */
export const PAGE_SIZE = 10;

export function money(v: number, shop: ShopSettings, whole = false): string {
  return formatMoney(v, shop, { whole });
}

/** "Период: 17.11–23.11.2026 · Данные: демо", then up to three warnings. */
export function footer(result: ToolResult, opts: { period?: boolean; periodLabel?: string } = {}): string {
  const w = result.provenance.window;
  const parts: string[] = [];
  if (opts.periodLabel) parts.push(opts.periodLabel);
  else if (w && opts.period !== false) parts.push(`Период: ${formatPeriod(w.from, w.to)}`);
  parts.push(`Данные: ${sourceKinds(result.provenance.sources)}`);
  const lines = [parts.join(" · ")];
  lines.push(...warningLines(result));
  return lines.join("\n");
}

export function warningLines(result: ToolResult, max = 3): string[] {
  const ws = result.warnings;
  const lines = ws.slice(0, max).map((w) => `⚠️ ${truncate(w.message, 160)}`);
  if (ws.length > max) lines.push(`⚠️ и ещё ${ws.length - max}`);
  return lines;
}

/** Joins blocks with blank lines, dropping empty ones. */
export function blocks(...parts: (string | string[] | false | null | undefined)[]): string {
  return parts
    .map((p) => (Array.isArray(p) ? p.join("\n") : p))
    .filter((p): p is string => typeof p === "string" && p.trim().length > 0)
    .join("\n\n");
}

/**
 * Prev / "2/5" / next, as tool calls with a moved offset: the button carries everything needed to
 * show that page again, so no pager state has to outlive the message.
 */
export function pagerRow(
  tool: string,
  input: Record<string, unknown>,
  p: { offset: number; pageSize: number; total?: number; hasMore?: boolean },
): Button[] | null {
  const hasNext = p.total !== undefined ? p.offset + p.pageSize < p.total : Boolean(p.hasMore);
  const hasPrev = p.offset > 0;
  if (!hasNext && !hasPrev) return null;
  const row: Button[] = [];
  if (hasPrev) {
    row.push({
      text: "◀️ Назад",
      action: { t: "tool", tool, input: { ...input, offset: Math.max(0, p.offset - p.pageSize) }, edit: true },
    });
  }
  if (p.total !== undefined) {
    const page = Math.floor(p.offset / p.pageSize) + 1;
    const pages = Math.max(1, Math.ceil(p.total / p.pageSize));
    row.push({ text: `${page}/${pages}`, action: { t: "noop" } });
  }
  if (hasNext) {
    row.push({ text: "Далее ▶️", action: { t: "tool", tool, input: { ...input, offset: p.offset + p.pageSize }, edit: true } });
  }
  return row;
}

export function toolButton(text: string, tool: string, input: Record<string, unknown>): Button {
  return { text, action: { t: "tool", tool, input } };
}

/** Buttons laid out `perRow` to a row. */
export function grid(buttons: Button[], perRow: number): Button[][] {
  const rows: Button[][] = [];
  for (let i = 0; i < buttons.length; i += perRow) rows.push(buttons.slice(i, i + perRow));
  return rows;
}

const ORDER_STATUS: Record<string, string> = {
  pending: "ожидает оплаты",
  paid: "оплачен",
  shipped: "отправлен",
  delivered: "доставлен",
  cancelled: "отменён",
  refunded: "возвращён",
  stuck: "завис",
  failed: "ошибка",
};
const PAYMENT_STATUS: Record<string, string> = {
  pending: "ожидает",
  paid: "оплачена",
  failed: "не прошла",
  refunded: "возвращена",
};
const SHIPPING_STATUS: Record<string, string> = {
  none: "не начата",
  pending: "ждёт отправки",
  shipped: "в пути",
  delivered: "доставлено",
};
const REFUND_REASON: Record<string, string> = {
  defect: "брак",
  size: "не подошёл размер",
  late: "опоздала доставка",
  changed_mind: "передумал",
  other: "другое",
};

const PAYMENT_METHOD: Record<string, string> = { card: "карта", sbp: "СБП", cash: "наличные" };
export const paymentMethodRu = (s: string): string => PAYMENT_METHOD[s] ?? s;
export const orderStatusRu = (s: string): string => ORDER_STATUS[s] ?? s;
export const paymentStatusRu = (s: string): string => PAYMENT_STATUS[s] ?? s;
export const shippingStatusRu = (s: string): string => SHIPPING_STATUS[s] ?? s;
export const refundReasonRu = (s: string): string => REFUND_REASON[s] ?? s;

/** The pager row for a list result, built from the input the tool ran with. */
export function resultPager(
  result: ToolResult,
  tool: string,
  p: { offset: number; pageSize: number; total?: number; hasMore?: boolean },
): Button[][] {
  const row = pagerRow(tool, result.input ?? {}, p);
  return row ? [row] : [];
}

/** Rows per message for a tool whose `limit` may be smaller than a page. */
export function pageSizeOf(result: ToolResult): number {
  const limit = Number(result.input?.limit ?? PAGE_SIZE);
  return Math.max(1, Math.min(PAGE_SIZE, Number.isFinite(limit) ? limit : PAGE_SIZE));
}
