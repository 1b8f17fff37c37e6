// Composition root of the sender: the only code that calls Telegram's send methods.
import { DelayedError, Worker } from "bullmq";
import { loadConfigOrExit } from "@ownerbot/shared/config/index";
import { createLogger } from "@ownerbot/shared/logger/index";
import { createPool } from "@ownerbot/shared/db/pool";
import { findStaleOutboxChats } from "@ownerbot/shared/db/outbox.queries";
import { CHANNELS, chatScheduler, listen } from "@ownerbot/shared/db/notify";
import { JOBS } from "@ownerbot/shared/queue/jobs";
import { closeQueues, createQueues, createRedis, enqueue } from "@ownerbot/shared/queue/connection";
import { startSweeper } from "@ownerbot/shared/queue/sweeper";
import { createTelegramClient } from "@ownerbot/shared/telegram/client";
import { createDeliverer, RetryAfter } from "./deliver.ts";
import { createRateLimiter } from "./rate-limit.ts";

const cfg = loadConfigOrExit({ telegram: true });
const log = createLogger({ name: "sender", level: cfg.LOG_LEVEL, secrets: cfg.secrets });
// Synchronous commits on purpose: the claim flushes the WAL (and with it the worker's asynchronous
// finish) before a reply is sent, and "sent" is on disk before the row is forgotten.
const pool = createPool(cfg.DATABASE_URL, cfg.DATABASE_POOL_SIZE);
const redis = createRedis(cfg.REDIS_URL);
const queues = createQueues(redis, cfg.QUEUE_PREFIX);
const telegram = createTelegramClient({ token: cfg.BOT_TOKEN, apiRoot: cfg.TELEGRAM_API_ROOT, timeoutMs: cfg.TELEGRAM_TIMEOUT_MS });
const deliver = createDeliverer({
  pool,
  telegram,
  limiter: createRateLimiter({ globalPerSec: cfg.TELEGRAM_GLOBAL_RATE_PER_SEC, chatPerSec: cfg.TELEGRAM_CHAT_RATE_PER_SEC }),
  log,
  workerId: cfg.workerId,
  leaseSec: cfg.LEASE_SEC,
  maxAttempts: cfg.SENDER_MAX_ATTEMPTS,
});

const worker = new Worker(
  JOBS.send.queue,
  async (job, token) => {
    const p = JOBS.send.payload.parse(job.data);
    try {
      await deliver(p.chatId, job.id ?? `out-${p.outboxId}`);
    } catch (err) {
      if (err instanceof RetryAfter && token) {
        await job.moveToDelayed(Date.now() + err.ms, token);
        throw new DelayedError();
      }
      throw err;
    }
  },
  { connection: createRedis(cfg.REDIS_URL), prefix: cfg.QUEUE_PREFIX, concurrency: cfg.SENDER_CONCURRENCY },
);
worker.on("failed", (job, err) => log.warn({ err, job_id: job?.id }, "send job failed"));
worker.on("error", (err) => log.error({ err }, "sender worker error"));

// Fast path: the statement that wrote a reply notifies at commit; deliver right away.
let fastRuns = 0;
const fast = chatScheduler(cfg.SENDER_CONCURRENCY, async (chatId) => {
  try {
    await deliver(chatId, `fast-${++fastRuns}`);
  } catch (err) {
    if (err instanceof RetryAfter) {
      await enqueue(queues, "send", [{ chatId, outboxId: err.outboxId, retry: err.attempts }], { delayMs: err.ms }).catch(() => undefined);
    } else log.warn({ err, chat_id: chatId }, "fast delivery failed; the job or the sweeper retries");
  }
});
const listener = listen({ url: cfg.DATABASE_URL, channel: CHANNELS.outbox, log, onChats: (ids) => fast.add(ids) });

const sweeper = startSweeper({
  redis,
  keyPrefix: cfg.QUEUE_PREFIX,
  intervalMs: cfg.SWEEP_INTERVAL_MS,
  log,
  tasks: [
    {
      name: "outbox",
      run: async () => {
        const stale = await findStaleOutboxChats(pool, cfg.SWEEP_STALE_MS, 500);
        for (const s of stale) {
          const delayMs = s.notBefore ? Math.max(0, s.notBefore.getTime() - Date.now()) : 0;
          await enqueue(queues, "send", [{ chatId: s.chatId, outboxId: s.firstId, retry: s.attempts }], { delayMs });
        }
        return stale.length;
      },
    },
  ],
});

log.info({ concurrency: cfg.SENDER_CONCURRENCY }, "sender started");

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  log.info({ signal }, "stopping: finishing current deliveries");
  await listener.close();
  await sweeper.stop();
  await worker.close();
  while (!fast.idle()) await new Promise((r) => setTimeout(r, 20));
  await closeQueues(queues);
  redis.disconnect();
  await pool.end();
  log.flush();
  process.exit(0);
}
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));
