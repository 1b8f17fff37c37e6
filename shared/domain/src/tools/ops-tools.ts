import { z } from "zod";
import { intParam, offsetParam } from "./params.ts";
import type { Coupon } from "./provider.ts";
import { defineTool } from "./registry.ts";
import { makeResult, toolEnv } from "./runtime.ts";
import type { ChatsUnansweredData, TeamQueueData, CouponState, CouponRow, CouponsStatusData, CouponsTopUsedData } from "./results/ops.ts";

// The customer queue and coupons: both are "right now" snapshots, so their window is today.

const HOUR = 3_600_000;

export const chatsUnanswered = defineTool({
  name: "chats_unanswered",
  version: "1.0",
  kind: "read",
  title: "Чаты без ответа",
  description: "Open customer chats waiting longer than threshold_hours with no manager reply since, newest first.",
  input: z.object({ threshold_hours: intParam(0, 168).default(0), limit: intParam(1, 50).default(10), offset: offsetParam() }),
  async run(input, ctx) {
    const env = await toolEnv(ctx);
    const now = env.clock.now;
    const r = await env.provider.unansweredChats({
      waitingSince: new Date(now.getTime() - input.threshold_hours * HOUR),
      limit: input.limit,
      offset: input.offset,
    });
    const data: ChatsUnansweredData = {
      count: r.total,
      thresholdHours: input.threshold_hours,
      offset: input.offset,
      now: now.toISOString(),
      threads: r.items,
    };
    const today = env.clock.today;
    return makeResult(ctx, env, data, { sources: [env.src("demo_chat_threads")], window: { from: today, to: today } });
  },
});

/** The reference's four fixed recommendations, most urgent first. */
export function queueRecommendation(q: { total: number; over2h: number; over6h: number; over24h: number }): string {
  if (q.total === 0) return "Очередь пуста — всем клиентам ответили.";
  if (q.over24h > 0) return "Есть клиенты, которые ждут больше суток: разберите их первыми.";
  if (q.over6h > 0) return "Часть клиентов ждёт дольше 6 часов: подключите ещё одного сотрудника.";
  return "Очередь под контролем: держите ответ в пределах 2 часов.";
}

export const teamQueueSummary = defineTool({
  name: "team_queue_summary",
  version: "1.1",
  kind: "read",
  title: "Очередь команды",
  description: "Unanswered customer chats: total, waiting ≥2/6/24 h, per assignee, the five longest waits and what to do.",
  input: z.object({}),
  async run(_input, ctx) {
    const env = await toolEnv(ctx);
    const q = await env.provider.chatQueue({ now: env.clock.now, cutoffsHours: [2, 6, 24], oldestLimit: 5 });
    const [over2h = 0, over6h = 0, over24h = 0] = q.olderThan;
    const counts = { total: q.total, over2h, over6h, over24h };
    const data: TeamQueueData = {
      ...counts,
      byAssignee: q.byAssignee,
      topOverdue: q.oldest,
      now: env.clock.now.toISOString(),
      recommendation: queueRecommendation(counts),
    };
    const today = env.clock.today;
    return makeResult(ctx, env, data, {
      sources: [env.src("demo_chat_threads"), env.src("demo_team")],
      window: { from: today, to: today },
    });
  },
});

/** Whether a coupon can be used at `now`; the first reason it cannot wins. */
export function couponState(c: Coupon, now: Date): CouponState {
  if (!c.active) return "disabled";
  if (c.endsAt && c.endsAt.getTime() <= now.getTime()) return "expired";
  if (c.maxUses !== null && c.usedCount >= c.maxUses) return "exhausted";
  if (c.startsAt && c.startsAt.getTime() > now.getTime()) return "scheduled";
  return "active";
}

/**
 * The one usage ranking both coupon answers show: every coupon, whatever its state now, by how many
 * orders used it (ties by code). «Купоны» lists its top five, «Топ купонов» as many as asked.
 */
export function rankByUse(rows: CouponRow[]): CouponRow[] {
  return [...rows].sort((a, b) => b.usedCount - a.usedCount || a.code.localeCompare(b.code));
}

export const EXPIRING_WITHIN_DAYS = 7;

export const couponsStatus = defineTool({
  name: "coupons_status",
  version: "1.0",
  kind: "read",
  title: "Купоны",
  description:
    "Coupons now: how many work, which expire within 7 days, the five most used (the coupons_top_used ranking), and the rest by state.",
  input: z.object({}),
  async run(_input, ctx) {
    const env = await toolEnv(ctx);
    const now = env.clock.now;
    const rows = (await env.provider.coupons()).map((c): CouponRow => ({ ...c, state: couponState(c, now) }));
    const byState: Record<CouponState, number> = { active: 0, scheduled: 0, expired: 0, exhausted: 0, disabled: 0 };
    for (const r of rows) byState[r.state] += 1;
    const soon = now.getTime() + EXPIRING_WITHIN_DAYS * 24 * HOUR;
    const active = rows.filter((r) => r.state === "active");
    const data: CouponsStatusData = {
      totalActive: active.length,
      byState,
      expiringSoon: active
        .filter((r) => r.endsAt && r.endsAt.getTime() <= soon)
        .sort((a, b) => (a.endsAt?.getTime() ?? 0) - (b.endsAt?.getTime() ?? 0) || a.code.localeCompare(b.code)),
      topUsed: rankByUse(rows).slice(0, 5),
      now: now.toISOString(),
    };
    const today = env.clock.today;
    return makeResult(ctx, env, data, { sources: [env.src("demo_coupons")], window: { from: today, to: today } });
  },
});

export const couponsTopUsed = defineTool({
  name: "coupons_top_used",
  version: "1.0",
  kind: "read",
  title: "Популярные купоны",
  description: "Coupons ranked by how many orders used them, with their current state.",
  input: z.object({ limit: intParam(1, 20).default(5) }),
  async run(input, ctx) {
    const env = await toolEnv(ctx);
    const now = env.clock.now;
    const all = (await env.provider.coupons()).map((c): CouponRow => ({ ...c, state: couponState(c, now) }));
    const rows = rankByUse(all)
      .slice(0, input.limit)
      .map((r, i) => ({ ...r, rank: i + 1 }));
    const data: CouponsTopUsedData = { rows, totalUses: all.reduce((s, c) => s + c.usedCount, 0) };
    const today = env.clock.today;
    return makeResult(ctx, env, data, { sources: [env.src("demo_coupons")], window: { from: today, to: today } });
  },
});
