// Customers writing to the live demo shop, and the exchange rates of each new day. Like the orders,
// messages are drawn per minute from the minute's own stream; a day's rates from the day's stream.

import type pg from "pg";
import { addDays, dayDiff, type LocalDay } from "../format/dates.ts";
import { minuteRate, type LiveShop } from "./live-orders.ts";
import { CHAT_SUBJECTS, TEAM } from "./people.ts";
import { pick, streamRng } from "./prng.ts";

const DAY = 86_400_000;
/** A customer writes again into a thread active within this long; older ones are history. */
const RECENT_THREAD_MS = 7 * DAY;
const STAFF = TEAM.filter((m) => m.role !== "warehouse").map((m) => m.member_id);

/** Messages a day: about a third of the orders, within bounds that keep a small shop talking. */
export const messagesPerDay = (shop: Pick<LiveShop, "dailyOrders">): number => Math.min(80, Math.max(3, shop.dailyOrders * 0.3));

type Thread = { threadId: string; activeMs: number };

/** New threads and new messages in recent ones for (from, to]; managers answer them in live-lifecycle.ts. */
export async function customerMessages(c: pg.PoolClient, shop: LiveShop, from: Date, to: Date): Promise<number> {
  // Activity is the customer's side only: replies land in any run, and must not change who writes next.
  const threads = await c.query<{ thread_id: string; active: Date }>(
    "SELECT thread_id, last_customer_message_at AS active FROM demo_chat_threads ORDER BY substr(thread_id, 4)::int",
  );
  // Writers are the customers of the shop as it went live: the same set in every run.
  const customers = await c.query<{ n: number }>(
    "SELECT coalesce(max(substr(customer_id, 4)::int), 1) AS n FROM demo_customers WHERE created_at <= $1",
    [shop.liveSince],
  );
  const all: Thread[] = threads.rows.map((r) => ({ threadId: r.thread_id, activeMs: r.active.getTime() }));
  let next = all.reduce((m, t) => Math.max(m, Number(t.threadId.slice(3))), 2000) + 1;
  const rate = { timeZone: shop.timeZone, dailyOrders: messagesPerDay(shop) };
  const created: unknown[][] = [];
  const written: { threadId: string; at: Date }[] = [];
  for (let minute = Math.floor(from.getTime() / 60_000); minute * 60_000 < to.getTime(); minute++) {
    const rng = streamRng(shop.seed, 1_000_000_000 + (minute % 1_000_000_000));
    if (rng() >= minuteRate(rate, new Date(minute * 60_000))) continue;
    const ms = minute * 60_000 + Math.floor(rng() * 60) * 1000;
    if (ms <= from.getTime() || ms > to.getTime()) continue;
    const recent = all.filter((t) => t.activeMs >= ms - RECENT_THREAD_MS && t.activeMs <= ms);
    const at = new Date(ms);
    if (recent.length > 0 && rng() < 0.45) {
      const t = recent[Math.floor(rng() * recent.length)]!;
      t.activeMs = ms;
      written.push({ threadId: t.threadId, at });
      continue;
    }
    const threadId = `TH-${next++}`;
    const customer = `CU-${String(Math.max(1, Math.ceil(customers.rows[0]!.n * Math.sqrt(rng())))).padStart(7, "0")}`;
    const assigned = rng() < 0.9 ? pick(rng, STAFF) : null;
    created.push([threadId, customer, assigned, pick(rng, CHAT_SUBJECTS), at]);
    all.push({ threadId, activeMs: ms });
  }
  for (const row of created) {
    await c.query(
      `INSERT INTO demo_chat_threads (thread_id, customer_id, assigned_to, open, subject, last_customer_message_at, created_at)
       VALUES ($1, $2, $3, true, $4, $5, $5)`,
      row,
    );
  }
  for (const m of written)
    await c.query("UPDATE demo_chat_threads SET open = true, last_customer_message_at = $2 WHERE thread_id = $1", [m.threadId, m.at]);
  return created.length + written.length;
}

/** The day's rates continue each base's walk (~0.4 %/day, like the seed's) from the day before. */
export async function fxForNewDays(c: pg.PoolClient, shop: LiveShop, historyFrom: LocalDay, through: LocalDay): Promise<number> {
  const last = await c.query<{ day: string; base: string; rate: number }>(
    `SELECT DISTINCT ON (base) day::text AS day, base, rate::float8 AS rate FROM demo_fx_rates WHERE quote = $1 ORDER BY base, day DESC`,
    [shop.currency],
  );
  let added = 0;
  for (const prev of last.rows) {
    let rate = prev.rate;
    for (let day = addDays(prev.day, 1); day <= through; day = addDays(day, 1)) {
      const index = dayDiff(historyFrom, day);
      const rng = streamRng(shop.seed, 900_000 + index * 8 + (prev.base.charCodeAt(0) % 8));
      const normal = Math.sqrt(-2 * Math.log(Math.max(rng(), 1e-12))) * Math.cos(2 * Math.PI * rng());
      // Continue from the stored (rounded) rate, as a later run would.
      rate = Number((rate * Math.exp(0.0045 * normal)).toFixed(6));
      await c.query("INSERT INTO demo_fx_rates (day, base, quote, rate) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING", [
        day,
        prev.base,
        shop.currency,
        rate.toFixed(6),
      ]);
      added++;
    }
  }
  return added;
}
