import { z } from "zod";
import { AppError } from "@ownerbot/core/errors";
import { dayRangeInstants, localDay } from "../format/dates.ts";
import { boolParam, dayParam, enumParam, intParam, offsetParam } from "./params.ts";
import { defineTool } from "./registry.ts";
import { makeResult, toolEnv } from "./runtime.ts";
import { PAYMENT_ISSUES_LOOKBACK_HOURS } from "./demo-orders.ts";
import type { OrdersSearchData, OrderDetailData } from "./results/orders.ts";

// Finding orders (free text, status, the three "needs attention" presets) and one order's card.

export const ORDER_STATUSES = ["pending", "paid", "shipped", "delivered", "cancelled", "refunded", "stuck", "failed"] as const;

/** Counting stops here: "1 000+" is as useful to the owner as an exact count of a million. */
export const ORDER_COUNT_CAP = 1000;

export const ordersSearch = defineTool({
  name: "orders_search",
  version: "1.1",
  kind: "read",
  title: "Поиск заказов",
  description:
    "Orders by phone, number, customer, status or creation days (from_day..to_day), or by preset: stuck, late_ship, payment_issues; newest first.",
  input: z.object({
    q: z.string().trim().max(100).optional(),
    status: enumParam(ORDER_STATUSES).optional(),
    preset: enumParam(["stuck", "late_ship", "payment_issues"]).optional(),
    flagged: boolParam().optional(),
    limit: intParam(1, 200).default(20),
    since_hours: intParam(1, 720).default(2),
    from_day: dayParam().optional(),
    to_day: dayParam().optional(),
    offset: offsetParam(),
  }),
  async run(input, ctx) {
    const env = await toolEnv(ctx);
    const q = input.q && input.q.length > 0 ? input.q : undefined;
    // «заказы вчера»: the orders created on those days (one day when only one end is given).
    const fromDay = input.from_day ? env.day(input.from_day, "from_day") : input.to_day ? env.day(input.to_day, "to_day") : undefined;
    const toDay = input.to_day ? env.day(input.to_day, "to_day") : fromDay;
    if (fromDay && toDay && fromDay > toDay) throw new AppError("VALIDATION_ERROR", "Параметр from_day: начало позже конца");
    const days = fromDay && toDay ? dayRangeInstants(fromDay, toDay, env.tz) : undefined;
    const page = await env.provider.searchOrders(
      {
        ...(q ? { q } : {}),
        ...(input.status ? { status: input.status } : {}),
        ...(input.preset ? { preset: input.preset } : {}),
        ...(input.flagged !== undefined ? { flagged: input.flagged } : {}),
        ...(days ? { createdFrom: days.start, createdBefore: days.end } : {}),
        now: env.clock.now,
        sinceHours: input.since_hours,
        limit: input.limit,
        offset: input.offset,
      },
      ORDER_COUNT_CAP,
    );
    const appliedFilters: OrdersSearchData["appliedFilters"] = {
      ...(q ? { q } : {}),
      ...(input.status ? { status: input.status } : {}),
      ...(input.preset ? { preset: input.preset } : {}),
      ...(input.flagged !== undefined ? { flagged: input.flagged } : {}),
      ...(input.preset === "payment_issues" ? { sinceHours: input.since_hours } : {}),
      ...(fromDay && toDay ? { fromDay, toDay } : {}),
    };
    const data: OrdersSearchData = {
      count: page.total,
      countCapped: page.totalCapped,
      offset: input.offset,
      items: page.items,
      appliedFilters,
    };
    // The window is what the answer looked at: the payment preset looks back 30 days, the rest
    // span from the oldest order shown to today.
    const today = env.clock.today;
    if (fromDay && toDay) {
      return makeResult(ctx, env, data, {
        sources: [env.src("demo_orders")],
        window: { from: fromDay, to: toDay },
        filters: appliedFilters,
      });
    }
    const oldest = page.items.at(-1)?.createdAt;
    const from =
      input.preset === "payment_issues"
        ? localDay(new Date(env.clock.now.getTime() - PAYMENT_ISSUES_LOOKBACK_HOURS * 3_600_000), env.tz)
        : oldest
          ? localDay(oldest, env.tz)
          : today;
    return makeResult(ctx, env, data, {
      sources: [env.src("demo_orders")],
      window: { from: from < today ? from : today, to: today },
      filters: appliedFilters,
    });
  },
});

/** "OB-1234", "ob 1234", "#1234", "заказ №1234", "1234" → 1234. */
export function parseOrderNo(raw: string): number | null {
  const m = /^(?:заказ\s*)?(?:ob[-\s]?|#|№\s*)?(\d{1,12})$/i.exec(raw.trim());
  return m ? Number(m[1]) : null;
}

export const orderDetail = defineTool({
  name: "order_detail",
  version: "1.0",
  kind: "read",
  title: "Карточка заказа",
  description: "One order in full: status, payment, shipping, customer, items, payments, refunds and flag.",
  input: z.object({ order_id: z.string().trim().min(1) }),
  async run(input, ctx) {
    const no = parseOrderNo(input.order_id);
    if (no === null) {
      throw new AppError(
        "VALIDATION_ERROR",
        `Параметр order_id: ожидается номер заказа вроде OB-1234 или 1234, получено «${input.order_id}»`,
      );
    }
    const env = await toolEnv(ctx);
    const order = await env.provider.orderDetail(no);
    if (!order) throw new AppError("NOT_FOUND", `Заказ OB-${no} не найден.`);
    const now = env.clock.now.getTime();
    const unshipped = order.shippingStatus === "none" || order.shippingStatus === "pending";
    const shipOverdueMs =
      unshipped && order.paymentStatus === "paid" && order.shipDueAt && order.shipDueAt.getTime() < now
        ? now - order.shipDueAt.getTime()
        : null;
    const data: OrderDetailData = { ...order, shipOverdueMs, ageMs: now - order.createdAt.getTime() };
    const day = localDay(order.createdAt, env.tz);
    return makeResult(ctx, env, data, {
      sources: [env.src("demo_orders"), env.src("demo_order_items"), env.src("demo_payments"), env.src("demo_refunds")],
      window: { from: day, to: env.clock.today > day ? env.clock.today : day },
    });
  },
});
