// RELIABILITY.md A3: 2,000 owner messages from 50 chats while ingress, worker-intent and sender are
// SIGKILLed 20 times at random (each restarted at once, as a supervisor would). Nothing may be lost,
// doubled or reordered, and a reply may take seconds, not a lease of half a minute: p99 ≤ 10 s.
// Baseline in the same run: the same traffic with no kills.
import { startFakeTelegram, type FakeTelegram } from "@ownerbot/testkit/fake-telegram";
import { startStack, type Stack } from "@ownerbot/testkit/services";
import { seededRandom } from "@ownerbot/testkit/hostile";
import { checkHistory, formatHistory, violated } from "@ownerbot/testkit/history";
import { flushPrefix, scratchDb, serviceEnv, sleep, summary, type Scratch } from "./lib.ts";

const MESSAGES = Number(process.env.CHAOS_MESSAGES ?? 2000);
const CHATS = 50;
const KILLS = Number(process.env.CHAOS_KILLS ?? 20);
const RATE = Number(process.env.CHAOS_RATE ?? 40);
const SEED = Number(process.env.CHAOS_SEED ?? Date.now() % 1_000_000);
const TARGETS = ["ingress", "worker-intent", "sender"] as const;
const FIRST_CHAT = 1001;

type Run = { latencies: number[]; lost: number; doubled: number; reordered: number; kills: string[]; violations: number; history: string };

async function run(kills: number): Promise<Run> {
  const tg = await startFakeTelegram();
  const db = await scratchDb("chaos");
  const stack = startStack(serviceEnv(db, tg.apiRoot, { TELEGRAM_POLL_TIMEOUT_SEC: "2", LOG_LEVEL: "error" }));
  const rnd = seededRandom(SEED);
  try {
    await tg.waitForCall((c) => c.ok && c.method === "getUpdates", 30_000);
    const pushedAt = new Map<number, number>();
    const feeding = feed(tg, pushedAt);
    const done: string[] = [];
    const gap = ((MESSAGES / RATE) * 1000) / (kills + 1);
    for (let k = 0; k < kills; k++) {
      await sleep(gap * (0.5 + rnd()));
      const name = TARGETS[Math.floor(rnd() * TARGETS.length)]!;
      await stack.restart(name, "SIGKILL");
      done.push(name);
    }
    await feeding;
    await idle(db, tg);
    return { ...(await measure(db, tg, pushedAt)), kills: done, ...(await history(db, tg, stack)) };
  } finally {
    await stack.stop();
    await tg.close();
    await flushPrefix(db.prefix);
    await db.drop();
  }
}

async function feed(tg: FakeTelegram, pushedAt: Map<number, number>): Promise<void> {
  for (let i = 0; i < MESSAGES; i++) {
    const chat = FIRST_CHAT + (i % CHATS);
    // A different command per message of a chat, so a reordered reply shows in its text.
    const u = tg.pushText(chat, i % 2 ? "/help" : "/start");
    pushedAt.set(u.update_id, Date.now());
    await sleep(1000 / RATE);
  }
}

async function idle(db: Scratch, tg: FakeTelegram): Promise<void> {
  for (let quiet = 0, start = Date.now(); quiet < 3;) {
    if (Date.now() - start > 180_000) throw new Error("the pipeline did not go idle within 180 s");
    const { rows } = await db.pool.query<{ n: number }>(
      `SELECT ((SELECT count(*) FROM inbox WHERE status IN ('new', 'claimed')) + (SELECT count(*) FROM outbox WHERE status IN ('pending', 'claimed')))::int AS n`,
    );
    quiet = rows[0]!.n === 0 && tg.pendingCount() === 0 ? quiet + 1 : 0;
    await sleep(500);
  }
}

/** From the fake's record: each update's first reply, replies counted per update, order per chat. */
async function measure(
  db: Scratch,
  tg: FakeTelegram,
  pushedAt: Map<number, number>,
): Promise<Omit<Run, "kills" | "violations" | "history">> {
  const { rows } = await db.pool.query<{ update_id: number; chat_id: number; mid: number | null; sent: number; sent_ms: number | null }>(
    `SELECT i.update_id::float8 AS update_id, i.chat_id::float8 AS chat_id, min(o.telegram_message_id)::float8 AS mid,
            count(o.id) FILTER (WHERE o.status = 'sent')::int AS sent, extract(epoch FROM min(o.sent_at)) * 1000 AS sent_ms
     FROM inbox i LEFT JOIN outbox o ON o.cause = 'upd:' || i.id AND o.method = 'sendMessage'
     GROUP BY 1, 2 ORDER BY 2, 1`,
  );
  // Telegram's own count of deliveries per reply text and chat (a resent reply shows up here).
  const delivered = tg.calls().filter((c) => c.ok && c.method === "sendMessage").length;
  const latencies: number[] = [];
  let lost = pushedAt.size - rows.length;
  let reordered = 0;
  const lastMid = new Map<number, number>();
  for (const r of rows) {
    if (r.sent === 0 || r.sent_ms === null || r.mid === null) {
      lost++;
      continue;
    }
    const at = pushedAt.get(r.update_id);
    if (at !== undefined) latencies.push(Number(r.sent_ms) - at);
    if (r.mid < (lastMid.get(r.chat_id) ?? 0)) reordered++;
    lastMid.set(r.chat_id, r.mid);
  }
  return { latencies, lost, doubled: delivered - rows.filter((r) => r.sent > 0).length, reordered };
}

async function history(db: Scratch, tg: FakeTelegram, stack: Stack): Promise<Pick<Run, "violations" | "history">> {
  const owners = Array.from({ length: CHATS }, (_, i) => FIRST_CHAT + i);
  const report = await checkHistory({ tg, pool: db.pool, owners, logs: stack.logs(), secrets: [] });
  return { violations: violated(report, [1, 2, 3]).reduce((n, r) => n + r.violations, 0), history: formatHistory(report) };
}

const fmt = (r: Run): string => {
  const s = summary(r.latencies.sort((a, b) => a - b));
  return `p50 ${s.p50.toFixed(0)} ms, p99 ${s.p99.toFixed(0)} ms, max ${s.max.toFixed(0)} ms (n=${s.n}); lost ${r.lost}, doubled ${r.doubled}, reordered ${r.reordered}`;
};
console.log(`chaos: ${MESSAGES} messages from ${CHATS} chats at ${RATE} msg/s, ${KILLS} SIGKILLs, CHAOS_SEED=${SEED}`);
const base = await run(0);
console.log(`  baseline, no kills:   ${fmt(base)}`);
const ours = await run(KILLS);
console.log(`  with ${ours.kills.length} kills:      ${fmt(ours)}`);
console.log(`  killed: ${ours.kills.join(", ")}`);
console.log(ours.history.split("\n").slice(0, 4).join("\n"));
const p99 = summary(ours.latencies.sort((a, b) => a - b)).p99;
const ok = ours.lost === 0 && ours.doubled === 0 && ours.reordered === 0 && ours.violations === 0 && p99 <= 10_000;
console.log(`  targets: 0 lost, 0 doubled, 0 reordered, reply p99 ≤ 10 s → ${ok ? "MET" : "NOT MET"}`);
process.exit(0);
