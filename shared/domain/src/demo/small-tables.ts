// Writes the tables built in TypeScript (products, coupons, team, chats, looks, FX, meta), each
// as one INSERT … SELECT FROM unnest(arrays) so a few thousand rows cost one round trip.

import { TEAM } from "./people.ts";
import type { SeedContext } from "./context.ts";
import type { ChatRow, FxRow, LookRow } from "./extras.ts";
import type { CouponPlan } from "./plan.ts";
import { minorToDecimal, roundAmountOff, type ProductRow } from "./products.ts";

const iso = (ms: number): string => new Date(ms).toISOString();

export async function insertProducts(ctx: SeedContext, rows: ProductRow[]): Promise<void> {
  await ctx.client.query(
    `INSERT INTO demo_products (product_id, title, category, price, compare_at_price, currency, stock_qty,
      has_photo, has_video, return_flagged, published, created_at, updated_at)
    SELECT id, title, category, price, compare_at, $13, stock, photo, video, ret, pub, created, updated
    FROM unnest($1::text[], $2::text[], $3::text[], $4::numeric[], $5::numeric[], $6::int[], $7::bool[], $8::bool[],
                $9::bool[], $10::bool[], $11::timestamptz[], $12::timestamptz[])
      AS t(id, title, category, price, compare_at, stock, photo, video, ret, pub, created, updated)`,
    [
      rows.map((p) => p.productId),
      rows.map((p) => p.title),
      rows.map((p) => p.category),
      rows.map((p) => minorToDecimal(p.price)),
      rows.map((p) => (p.compareAt === null ? null : minorToDecimal(p.compareAt))),
      rows.map((p) => p.stock),
      rows.map((p) => p.hasPhoto),
      rows.map((p) => p.hasVideo),
      rows.map((p) => p.returnFlagged),
      rows.map((p) => p.published),
      rows.map((p) => iso(p.createdAtMs)),
      rows.map((p) => iso(p.updatedAtMs)),
      ctx.currency,
    ],
  );
}

/** Runs after the orders: used_count is the number of demo_orders rows carrying the code. */
export async function insertCoupons(ctx: SeedContext, coupons: CouponPlan[]): Promise<void> {
  const at = (daysAgo: number | undefined): string | null =>
    daysAgo === undefined ? null : new Date(ctx.midnight(daysAgo) * 1000).toISOString();
  const rows = coupons.map((c) => {
    const created = new Date((ctx.midnight(c.startDaysAgo ?? ctx.historyDays - 1) - 3 * 86_400) * 1000).toISOString();
    return {
      code: c.code,
      percent: c.percentOff ?? null,
      amount: c.amountOffRub === undefined ? null : minorToDecimal(roundAmountOff(c.amountOffRub, ctx.currency)),
      active: c.active,
      usedUp: c.usedUp === true,
      starts: at(c.startDaysAgo),
      ends: at(c.endDaysAgo),
      created,
      // A switched-off coupon was last touched when its window closed.
      updated: c.active || c.endDaysAgo === undefined ? created : at(c.endDaysAgo)!,
    };
  });
  await ctx.client.query(
    `INSERT INTO demo_coupons (code, percent_off, amount_off, active, max_uses, used_count, starts_at, ends_at, created_at, updated_at)
    SELECT t.code, t.percent, t.amount, t.active, CASE WHEN t.used_up THEN coalesce(u.n, 0) END, coalesce(u.n, 0),
      t.starts, t.ends, t.created, t.updated
    FROM unnest($1::text[], $2::numeric[], $3::numeric[], $4::bool[], $5::bool[], $6::timestamptz[], $7::timestamptz[],
                $8::timestamptz[], $9::timestamptz[]) WITH ORDINALITY
      AS t(code, percent, amount, active, used_up, starts, ends, created, updated, ord)
    LEFT JOIN (SELECT coupon_code, count(*)::int AS n FROM demo_orders WHERE coupon_code IS NOT NULL GROUP BY 1) u
      ON u.coupon_code = t.code
    ORDER BY t.ord`,
    [
      rows.map((r) => r.code),
      rows.map((r) => r.percent),
      rows.map((r) => r.amount),
      rows.map((r) => r.active),
      rows.map((r) => r.usedUp),
      rows.map((r) => r.starts),
      rows.map((r) => r.ends),
      rows.map((r) => r.created),
      rows.map((r) => r.updated),
    ],
  );
}

export async function insertTeamChatsLooks(ctx: SeedContext, chats: ChatRow[], looks: LookRow[]): Promise<void> {
  await ctx.client.query(`INSERT INTO demo_team (member_id, name, role) SELECT * FROM unnest($1::text[], $2::text[], $3::text[])`, [
    TEAM.map((m) => m.member_id),
    TEAM.map((m) => m.name),
    TEAM.map((m) => m.role),
  ]);
  await ctx.client.query(
    `INSERT INTO demo_chat_threads (thread_id, customer_id, assigned_to, open, subject,
      last_customer_message_at, last_manager_reply_at, created_at)
    SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bool[], $5::text[], $6::timestamptz[], $7::timestamptz[], $8::timestamptz[])`,
    [
      chats.map((c) => c.threadId),
      chats.map((c) => c.customerId),
      chats.map((c) => c.assignedTo),
      chats.map((c) => c.open),
      chats.map((c) => c.subject),
      chats.map((c) => iso(c.lastCustomerMs)),
      chats.map((c) => (c.lastManagerMs === null ? null : iso(c.lastManagerMs))),
      chats.map((c) => iso(c.createdMs)),
    ],
  );
  await ctx.client.query(
    `INSERT INTO demo_looks (look_id, title, active, updated_at)
    SELECT * FROM unnest($1::text[], $2::text[], $3::bool[], $4::timestamptz[])`,
    [looks.map((l) => l.lookId), looks.map((l) => l.title), looks.map((l) => l.active), looks.map((l) => iso(l.updatedMs))],
  );
}

export async function insertFxAndMeta(ctx: SeedContext, fx: FxRow[]): Promise<void> {
  await ctx.client.query(
    `INSERT INTO demo_fx_rates (day, base, quote, rate)
    SELECT * FROM unnest($1::date[], $2::text[], $3::text[], $4::numeric[])`,
    [fx.map((r) => r.day), fx.map((r) => r.base), fx.map((r) => r.quote), fx.map((r) => r.rate)],
  );
  await ctx.client.query(
    `INSERT INTO demo_meta (id, scale, seed, anchor_day, as_of, history_from, time_zone, currency)
    VALUES (1, $1, $2, $3, $4, $5, $6, $7)`,
    [ctx.scale, ctx.seed, ctx.anchorDay, ctx.asOf.toISOString(), ctx.historyFrom, ctx.timeZone, ctx.currency],
  );
}
