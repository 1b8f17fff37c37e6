// Small demo tables built in TypeScript: chat threads, looks and FX rates. Each uses its own
// random stream so the tables do not shift one another.

import { USD_RATES } from "./catalog.ts";
import { CHAT_SUBJECTS, LOOK_THEMES, TEAM } from "./people.ts";
import { addDays, chatCount, customerCount, lookCount } from "./plan.ts";
import { pick, streamRng } from "./prng.ts";

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

export type ChatRow = {
  threadId: string;
  customerId: string;
  assignedTo: string | null;
  open: boolean;
  subject: string;
  lastCustomerMs: number;
  lastManagerMs: number | null;
  createdMs: number;
};

/** Hours before as_of of the planted unanswered threads (open, no reply after the customer's message). */
export const UNANSWERED_HOURS = [1.5, 4, 9, 19, 28];

export function customerId(n: number): string {
  return `CU-${String(n).padStart(7, "0")}`;
}

export function buildChats(opts: { scale: number; seed: number; asOfMs: number }): ChatRow[] {
  const rng = streamRng(opts.seed, 3);
  // Threads come from customers who joined in the first third of history, so none predates its customer.
  const customers = Math.max(1, Math.floor(customerCount(opts.scale) / 3));
  const staff = TEAM.filter((m) => m.role !== "warehouse").map((m) => m.member_id);
  const rows: ChatRow[] = [];
  const add = (row: Omit<ChatRow, "threadId" | "customerId" | "subject">): void => {
    rows.push({
      threadId: `TH-${2001 + rows.length}`,
      customerId: customerId(1 + Math.floor(rng() * customers)),
      subject: pick(rng, CHAT_SUBJECTS),
      ...row,
    });
  };
  UNANSWERED_HOURS.forEach((h, i) => {
    const last = opts.asOfMs - h * HOUR;
    const created = last - (i % 2 === 0 ? 0 : Math.round((2 + rng() * 20) * HOUR));
    // Odd ones had an answer earlier, then the customer wrote again and was left waiting.
    const reply = i % 2 === 0 ? null : created + Math.round((last - created) * (0.3 + rng() * 0.4));
    add({ assignedTo: staff[i % staff.length]!, open: true, lastCustomerMs: last, lastManagerMs: reply, createdMs: created });
  });
  for (const h of [3, 11, 22]) {
    const last = opts.asOfMs - h * HOUR;
    add({
      assignedTo: pick(rng, staff),
      open: true,
      lastCustomerMs: last,
      lastManagerMs: last + Math.round((0.1 + rng() * 0.8) * HOUR),
      createdMs: last - Math.round(rng() * 6 * HOUR),
    });
  }
  for (const m of [9, 35]) {
    const last = opts.asOfMs - m * MIN;
    add({ assignedTo: pick(rng, staff), open: true, lastCustomerMs: last, lastManagerMs: null, createdMs: last });
  }
  const total = chatCount(opts.scale);
  while (rows.length < total) {
    const created = opts.asOfMs - Math.round((2 + rng() * 58) * DAY);
    const last = created + Math.round(rng() * 20 * HOUR);
    add({
      assignedTo: rng() < 0.9 ? pick(rng, staff) : null,
      open: false,
      lastCustomerMs: last,
      lastManagerMs: last + Math.round((0.2 + rng() * 6) * HOUR),
      createdMs: created,
    });
  }
  return rows;
}

export type LookRow = { lookId: string; title: string; active: boolean; updatedMs: number };

export function buildLooks(opts: { seed: number; products: number; asOfMs: number }): LookRow[] {
  const rng = streamRng(opts.seed, 4);
  const n = lookCount(opts.products);
  return Array.from({ length: n }, (_, i) => ({
    lookId: `LK-${String(i + 1).padStart(3, "0")}`,
    title: `${LOOK_THEMES[i % LOOK_THEMES.length]}${i >= LOOK_THEMES.length ? " II" : ""}`,
    active: i % 5 !== 4,
    updatedMs: opts.asOfMs - Math.round((1 + rng() * 90) * DAY),
  }));
}

export type FxRow = { day: string; base: string; quote: string; rate: string };

/** USD/EUR/CNY → shop currency per day: a shared dollar walk plus a small cross walk per base. */
export function buildFx(opts: { seed: number; currency: string; firstDay: string; days: number }): FxRow[] {
  const rng = streamRng(opts.seed, 5);
  const shopPerUsd = USD_RATES[opts.currency] ?? 1;
  const bases = ["USD", "EUR", "CNY"].filter((b) => b !== opts.currency);
  const normal = (): number => {
    const u = Math.max(rng(), 1e-12);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng());
  };
  let usdWalk = 0;
  const cross = bases.map(() => 0);
  const rows: FxRow[] = [];
  for (let i = 0; i < opts.days; i++) {
    usdWalk += 0.004 * normal();
    bases.forEach((base, b) => {
      cross[b]! += base === "USD" ? 0 : 0.0025 * normal();
      const rate = (shopPerUsd / USD_RATES[base]!) * Math.exp(usdWalk + cross[b]!);
      rows.push({ day: addDays(opts.firstDay, i), base, quote: opts.currency, rate: rate.toFixed(6) });
    });
  }
  return rows;
}
