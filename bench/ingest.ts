// Ingest throughput: updates waiting in the fake Bot API → stored in the inbox with the offset and
// their jobs enqueued. Baseline in the same run: the same work done row by row (one INSERT and one
// job per update, then the offset), as a straightforward implementation would.
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { startFakeTelegram, type FakeTelegram } from "@ownerbot/testkit/fake-telegram";
import { classifyUpdate, createTelegramClient } from "@ownerbot/core/telegram";
import { REDIS_URL, flushPrefix, preloadMessages, scratchDb, serviceEnv, sleep, startServices, teardown } from "./lib.ts";

const TOTAL = Number(process.env.TOTAL ?? 50_000);

function preload(tg: FakeTelegram): void {
  preloadMessages(tg, TOTAL, 500, () => "hi");
}

async function ours(): Promise<number> {
  const tg = await startFakeTelegram();
  const db = await scratchDb("ingest");
  preload(tg);
  const svc = startServices(
    ["ingress"],
    serviceEnv(db, tg.apiRoot, {
      INBOX_MAX_NEW: "1000000",
      INBOX_MAX_TOTAL: "1000000",
      ...(process.env.BENCH_PROF ? { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${process.env.BENCH_PROF}` } : {}),
    }),
  );
  // Timing starts at the first getUpdates, so process start-up is not counted.
  const first = await tg.waitForCall((c) => c.method === "getUpdates", 30_000);
  const t0 = performance.now() - (Date.now() - first.at);
  // Done when every update is stored and its job is waiting in the intent queue (no worker runs).
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  const queue = new Queue("intent", { connection: redis, prefix: db.prefix });
  try {
    for (;;) {
      const { rows } = await db.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM inbox");
      if (rows[0]!.n >= TOTAL && (await queue.getWaitingCount()) >= TOTAL) break;
      await sleep(20);
    }
    return performance.now() - t0;
  } finally {
    await queue.close();
    redis.disconnect();
    await teardown(svc, tg, db);
  }
}

async function rowByRow(): Promise<number> {
  const tg = await startFakeTelegram();
  const db = await scratchDb("ingestbase");
  preload(tg);
  const client = createTelegramClient({ token: "123456:BENCH", apiRoot: tg.apiRoot, timeoutMs: 10_000 });
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  const queue = new Queue("intent", { connection: redis, prefix: db.prefix });
  const t0 = performance.now();
  let offset = 0;
  let stored = 0;
  try {
    while (stored < TOTAL) {
      const updates = await client.api.getUpdates({ offset, limit: 100, timeout: 0 });
      const c = await db.pool.connect();
      try {
        await c.query("BEGIN");
        for (const u of updates) {
          const k = classifyUpdate(u);
          const { rows } = await c.query<{ id: number }>(
            "INSERT INTO inbox (bot_id, update_id, chat_id, user_id, kind, payload) VALUES (1, $1, $2, $3, $4, $5) ON CONFLICT DO NOTHING RETURNING id",
            [u.update_id, k.chatId, k.userId, k.kind, JSON.stringify(u)],
          );
          if (rows[0])
            await queue.add("intent", { chatId: k.chatId, inboxId: rows[0].id }, { jobId: `upd-${rows[0].id}`, removeOnComplete: true });
        }
        offset = updates.at(-1)!.update_id + 1;
        await c.query(
          "INSERT INTO ingress_state (bot_id, next_offset) VALUES (1, $1) ON CONFLICT (bot_id) DO UPDATE SET next_offset = $1",
          [offset],
        );
        await c.query("COMMIT");
      } finally {
        c.release();
      }
      stored += updates.length;
    }
    return performance.now() - t0;
  } finally {
    await queue.close();
    redis.disconnect();
    await tg.close();
    await flushPrefix(db.prefix);
    await db.drop();
  }
}

const base = await rowByRow();
const mine = await ours();
const rate = (ms: number): string => `${Math.round(TOTAL / (ms / 1000))} updates/s`;
console.log(`ingest of ${TOTAL} waiting updates into the inbox (offset moved, every update's BullMQ job added)`);
console.log(`  baseline row by row: ${(base / 1000).toFixed(2)} s = ${rate(base)}`);
console.log(`  OwnerBot ingress (from its first getUpdates): ${(mine / 1000).toFixed(2)} s = ${rate(mine)}`);
console.log(`  target ≥ 15,000 updates/s → ${TOTAL / (mine / 1000) >= 15_000 ? "MET" : "NOT MET"}`);
process.exit(0);
