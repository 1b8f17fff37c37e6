// Writes the tables built in TypeScript (products, coupons, team, chats, looks, FX, meta), each
// as one INSERT … SELECT FROM unnest(arrays) so a few thousand rows cost one round trip.

import { TEAM } from "./catalog.ts";
import { localMidnightSql, type SeedContext } from "./context.ts";
import type { ChatRow, FxRow, LookRow } from "./extras.ts";
import type { CouponPlan } from "./plan.ts";
import { minorToDecimal, roundAmountOff, type ProductRow } from "./products.ts";
import { lit } from "./sql-rand.ts";

const iso = (ms: number): string => new Date(ms).toISOString();

/** Also fills _p (product number → id, historical price) that the baskets draw from. */
export async function insertProducts(ctx: SeedContext, rows: ProductRow[]): Promise<void> {
  await ctx.client.query(`INSERT INTO demo_products (product_id, title, category, price, compare_at_price, currency, stock_qty,
      has_photo, has_video, return_flagged, published, created_at, updated_at)
    SELECT id, title, category, price, compare_at, $13, stock, photo, video, ret, pub, created, updated
    FROM unnest($1::text[], $2::text[], $3::text[], $4::numeric[], $5::numeric[], $6::int[], $7::bool[], $8::bool[],
                $9::bool[], $10::bool[], $11::timestamptz[], $12::timestamptz[])
      AS t(id, title, category, price, compare_at, stock, photo, video, ret, pub, created, updated)`,
    [
      rows.map((p) => p.productId), rows.map((p) => p.title), rows.map((p) => p.category),
      rows.map((p) => minorToDecimal(p.price)), rows.map((p) => (p.compareAt === null ? null : minorToDecimal(p.compareAt))),
      rows.map((p) => p.stock), rows.map((p) => p.hasPhoto), rows.map((p) => p.hasVideo), rows.map((p) => p.returnFlagged),
      rows.map((p) => p.published), rows.map((p) => iso(p.createdAtMs)), rows.map((p) => iso(p.updatedAtMs)), ctx.currency,
    ]);
  await ctx.client.query(`CREATE TEMP TABLE _p (pno int PRIMARY KEY, product_id text NOT NULL, sale_price numeric(12,2) NOT NULL) ON COMMIT DROP`);
  await ctx.client.query(`INSERT INTO _p SELECT n - 1, id, price FROM unnest($1::text[], $2::numeric[]) WITH ORDINALITY AS t(id, price, n)`, [
    rows.map((p) => p.productId), rows.map((p) => minorToDecimal(p.salePrice)),
  ]);
}

/** Runs after the orders: used_count is the number of orders carrying the code. */
export async function insertCoupons(ctx: SeedContext, coupons: CouponPlan[]): Promise<void> {
  const historyStart = localMidnightSql(ctx, ctx.historyDays - 1);
  for (const c of coupons) {
    const starts = c.startDaysAgo === undefined ? "NULL::timestamptz" : localMidnightSql(ctx, c.startDaysAgo);
    const ends = c.endDaysAgo === undefined ? "NULL::timestamptz" : localMidnightSql(ctx, c.endDaysAgo);
    const created = `coalesce(${starts}, ${historyStart}) - interval '3 days'`;
    // A switched-off coupon was last touched when its window closed.
    const updated = c.active ? created : `coalesce(${ends}, ${created})`;
    const used = `(SELECT count(*)::int FROM demo_orders WHERE coupon_code = ${lit(c.code)})`;
    await ctx.client.query(`INSERT INTO demo_coupons (code, percent_off, amount_off, active, max_uses, used_count, starts_at, ends_at, created_at, updated_at)
      VALUES (${lit(c.code)}, ${c.percentOff ?? "NULL"},
        ${c.amountOffRub === undefined ? "NULL" : minorToDecimal(roundAmountOff(c.amountOffRub, ctx.currency))},
        ${c.active}, ${c.usedUp ? used : "NULL"}, ${used}, ${starts}, ${ends}, ${created}, ${updated})`);
  }
}

export async function insertTeamChatsLooks(ctx: SeedContext, chats: ChatRow[], looks: LookRow[]): Promise<void> {
  await ctx.client.query(`INSERT INTO demo_team (member_id, name, role) SELECT * FROM unnest($1::text[], $2::text[], $3::text[])`, [
    TEAM.map((m) => m.member_id), TEAM.map((m) => m.name), TEAM.map((m) => m.role),
  ]);
  await ctx.client.query(`INSERT INTO demo_chat_threads (thread_id, customer_id, assigned_to, open, subject,
      last_customer_message_at, last_manager_reply_at, created_at)
    SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bool[], $5::text[], $6::timestamptz[], $7::timestamptz[], $8::timestamptz[])`,
    [
      chats.map((c) => c.threadId), chats.map((c) => c.customerId), chats.map((c) => c.assignedTo), chats.map((c) => c.open),
      chats.map((c) => c.subject), chats.map((c) => iso(c.lastCustomerMs)),
      chats.map((c) => (c.lastManagerMs === null ? null : iso(c.lastManagerMs))), chats.map((c) => iso(c.createdMs)),
    ]);
  await ctx.client.query(`INSERT INTO demo_looks (look_id, title, active, updated_at)
    SELECT * FROM unnest($1::text[], $2::text[], $3::bool[], $4::timestamptz[])`, [
    looks.map((l) => l.lookId), looks.map((l) => l.title), looks.map((l) => l.active), looks.map((l) => iso(l.updatedMs)),
  ]);
}

export async function insertFxAndMeta(ctx: SeedContext, fx: FxRow[]): Promise<void> {
  await ctx.client.query(`INSERT INTO demo_fx_rates (day, base, quote, rate)
    SELECT * FROM unnest($1::date[], $2::text[], $3::text[], $4::numeric[])`, [
    fx.map((r) => r.day), fx.map((r) => r.base), fx.map((r) => r.quote), fx.map((r) => r.rate),
  ]);
  await ctx.client.query(`INSERT INTO demo_meta (id, scale, seed, anchor_day, as_of, history_from, time_zone, currency)
    VALUES (1, $1, $2, $3, $4, $5, $6, $7)`, [
    ctx.scale, ctx.seed, ctx.anchorDay, ctx.asOf.toISOString(), ctx.historyFrom, ctx.timeZone, ctx.currency,
  ]);
}
