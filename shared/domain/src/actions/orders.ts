import { sql } from "kysely";
import { z } from "zod";
import type { Db } from "@ownerbot/core/db";
import { AppError } from "@ownerbot/core/errors";
import { countOf, ORDERS } from "../format/plural.ts";
import { createDemoProvider } from "../tools/demo-provider.ts";
import { enumParam, intParam } from "../tools/params.ts";
import { DEMO_SOURCE, money, requireForce } from "./common.ts";
import { defineAction, MASS_CHANGE_LIMIT, type ActionPreview, type ChangeRow } from "./types.ts";

// flag_order (reference §3 #17) and bulk_flag_order (#35): put a flag with a reason on orders.
// The reference replaced flag_order's payload with {dry_run:true} when it came from text (gap #2);
// here the order and reason always arrive. A bulk flag pins the orders its preview matched, so the
// commit flags exactly the ones the owner saw.

/** "1003", "#1003", "ob-1003" → "OB-1003". */
export function orderId(raw: string): string {
  const m = /^\s*(?:ob[-\s]?)?#?№?\s*(\d{1,12})\s*$/i.exec(raw);
  return m ? `OB-${m[1]}` : raw.trim().toUpperCase();
}

type Order = { order_id: string; status: string; amount: number; flagged: boolean; flag_reason: string | null };

async function orderRows(db: Db, ids: readonly string[], lock: boolean): Promise<Order[]> {
  const r = await sql<Order>`SELECT order_id, status, amount, flagged, flag_reason FROM demo_orders
    WHERE order_id = ANY(${ids}::text[]) ORDER BY order_no ${lock ? sql`FOR UPDATE` : sql``}`.execute(db);
  return r.rows;
}

const yes = (b: boolean): string => (b ? "да" : "нет");

export const flagOrder = defineAction({
  name: "flag_order",
  title: "Пометка заказа",
  description: "Flag one order with a reason (flagged, reason, flagged_at, flagged_by); the same flag again is a no-op.",
  input: z.object({
    order_id: z.union([z.string(), z.number()]).transform((v) => orderId(String(v))),
    reason: z.string().trim().max(300).default(""),
  }),
  async preview(i, ctx): Promise<ActionPreview> {
    const [o] = await orderRows(ctx.db, [i.order_id], false);
    if (!o) throw new AppError("NOT_FOUND", `Заказа ${i.order_id} нет.`);
    const same = o.flagged && (o.flag_reason ?? "") === i.reason;
    const rows: ChangeRow[] = [];
    if (!o.flagged) rows.push({ id: o.order_id, title: "Флаг", before: yes(false), after: yes(true) });
    if ((o.flag_reason ?? "") !== i.reason)
      rows.push({ id: o.order_id, title: "Причина", before: o.flag_reason || "—", after: i.reason || "—" });
    return {
      title: `Пометка заказа ${o.order_id}`,
      summary: [`Заказ ${o.order_id}: ${o.status}, ${money(o.amount, ctx.shop)}`],
      rows,
      affected: same ? 0 : 1,
      unit: "заказов",
      warnings: same ? [{ code: "ALREADY_FLAGGED", message: "Заказ уже помечен с этой причиной" }] : [],
      source: DEMO_SOURCE("demo_orders"),
      noop: same,
      noopReason: "заказ уже помечен с этой причиной",
      force: "none",
      commit: { order_id: o.order_id, reason: i.reason },
    };
  },
  async commit(i, ctx) {
    const [o] = await orderRows(ctx.trx, [i.order_id], true);
    if (!o) throw new AppError("NOT_FOUND", `Заказа ${i.order_id} нет.`);
    await sql`UPDATE demo_orders SET flagged = true, flag_reason = ${i.reason || null}, flagged_at = now(), flagged_by = ${ctx.actorId}, updated_at = now()
      WHERE order_id = ${i.order_id}`.execute(ctx.trx);
    return { lines: [`Заказ ${i.order_id} помечен${i.reason ? `: ${i.reason}` : ""}`], affected: 1 };
  },
});

const bulkInput = z.object({
  preset: enumParam(["stuck", "late_ship", "payment_issues"] as const).optional(),
  status: z.string().trim().toLowerCase().max(20).optional(),
  q: z.string().trim().max(100).optional(),
  limit: intParam(1, 200).default(20),
  reason: z.string().trim().min(1).max(300).default("needs_attention"),
  /** Pinned by the preview: the orders it matched. */
  order_ids: z.array(z.string()).max(200).optional(),
});

const PRESET_LABEL: Record<string, string> = {
  stuck: "зависшие",
  late_ship: "с опозданием отправки",
  payment_issues: "с проблемами оплаты",
};

export const bulkFlagOrder = defineAction({
  name: "bulk_flag_order",
  title: "Пометка заказов списком",
  description:
    "Flag the unflagged orders of a preset (stuck / late_ship / payment_issues), status or search, up to limit; over 20 needs force.",
  input: bulkInput,
  async preview(i, ctx): Promise<ActionPreview> {
    if (!i.preset && !i.status && !i.q) throw new AppError("VALIDATION_ERROR", "Параметр preset: нужен preset, status или q");
    const provider = createDemoProvider(ctx.db);
    const clock = await provider.clock(ctx.now, ctx.shop.timeZone);
    const page = await provider.searchOrders(
      {
        ...(i.preset ? { preset: i.preset } : {}),
        ...(i.status ? { status: i.status } : {}),
        ...(i.q ? { q: i.q } : {}),
        flagged: false,
        now: clock.now,
        sinceHours: 2,
        limit: i.limit,
        offset: 0,
      },
      i.limit,
    );
    const ids = page.items.map((o) => o.orderId);
    const mass = ids.length > MASS_CHANGE_LIMIT;
    return {
      title: "Пометка заказов",
      summary: [
        `Заказы: ${i.preset ? PRESET_LABEL[i.preset] : (i.status ?? i.q)}, без флага, не больше ${i.limit}`,
        `Получат флаг «${i.reason}»: ${countOf(ids.length, ORDERS)}${page.total > ids.length ? ` (всего подходит ${page.totalCapped ? "больше " : ""}${page.total})` : ""}`,
      ],
      rows: page.items
        .slice(0, 10)
        .map((o) => ({ id: o.orderId, title: `${o.status}, ${money(o.amount, ctx.shop)}`, before: "без флага", after: i.reason })),
      affected: ids.length,
      unit: "заказов",
      warnings: mass
        ? [{ code: `MASS_CHANGE_OVER_${MASS_CHANGE_LIMIT}`, message: `Массовое изменение: ${countOf(ids.length, ORDERS)}` }]
        : [],
      source: DEMO_SOURCE("demo_orders"),
      noop: ids.length === 0,
      noopReason: "подходящих заказов без флага нет",
      force: mass ? "required" : "none",
      ...(mass ? { forceNote: "Применить можно только кнопкой ⚠️." } : {}),
      commit: { ...i, order_ids: ids },
    };
  },
  async commit(i, ctx) {
    const ids = i.order_ids ?? [];
    requireForce(ids.length > MASS_CHANGE_LIMIT ? "required" : "none", ctx.force);
    const r = await sql<{
      order_id: string;
    }>`UPDATE demo_orders SET flagged = true, flag_reason = ${i.reason}, flagged_at = now(), flagged_by = ${ctx.actorId}, updated_at = now()
      WHERE order_id = ANY(${ids}::text[]) AND NOT flagged RETURNING order_id`.execute(ctx.trx);
    const n = r.rows.length;
    const lines = [`Помечено: ${countOf(n, ORDERS)} («${i.reason}»)`];
    if (n < ids.length) lines.push(`Уже были помечены к этому моменту: ${ids.length - n}`);
    return { lines, affected: n, data: { updated_count: n } };
  },
});
