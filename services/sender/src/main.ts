// Composition root of the sender: the only code that calls Telegram's send methods.
import { DelayedError } from "bullmq";
import { loadConfigOrExit } from "@ownerbot/shared/config/index";
import { createLogger } from "@ownerbot/shared/logger/index";
import { createPool } from "@ownerbot/shared/db/pool";
import { CHANNELS } from "@ownerbot/shared/db/notify";
import { findStaleOutboxChats } from "@ownerbot/shared/db/outbox.queries";
import { createQueues, createRedis, enqueue } from "@ownerbot/shared/queue/connection";
import { runChatWorker } from "@ownerbot/shared/queue/chat-worker";
import { createTelegramClient } from "@ownerbot/shared/telegram/client";
import { createDeliverer, RetryAfter } from "./deliver.ts";
import { createRateLimiter } from "./rate-limit.ts";

const cfg = loadConfigOrExit({ telegram: true });
const log = createLogger({ name: "sender", level: cfg.LOG_LEVEL, secrets: cfg.secrets });
// Claims commit synchronously: that flushes the WAL, and with it the worker's asynchronous finish,
// before a reply is sent. Outcomes ("sent", "failed") commit asynchronously (see deliver.ts).
const pool = createPool(cfg.DATABASE_URL, cfg.DATABASE_POOL_SIZE);
const markPool = createPool(cfg.DATABASE_URL, cfg.DATABASE_POOL_SIZE, { synchronousCommit: false });
const redis = createRedis(cfg.REDIS_URL);
const queues = createQueues(redis, cfg.QUEUE_PREFIX);
const telegram = createTelegramClient({ token: cfg.BOT_TOKEN, apiRoot: cfg.TELEGRAM_API_ROOT, timeoutMs: cfg.TELEGRAM_TIMEOUT_MS });
const deliver = createDeliverer({
  pool,
  markPool,
  telegram,
  limiter: createRateLimiter({ globalPerSec: cfg.TELEGRAM_GLOBAL_RATE_PER_SEC, chatPerSec: cfg.TELEGRAM_CHAT_RATE_PER_SEC }),
  log,
  workerId: cfg.workerId,
  leaseSec: cfg.LEASE_SEC,
  maxAttempts: cfg.SENDER_MAX_ATTEMPTS,
});

runChatWorker({
  name: "send",
  cfg,
  log,
  pool,
  redis,
  queues,
  channel: CHANNELS.outbox,
  concurrency: cfg.SENDER_CONCURRENCY,
  drain: async (chatId, runId, notified) => void (await deliver(chatId, runId, notified)),
  // Telegram said how long to wait: the job waits exactly that, without counting as a failure.
  onJobError: async (err, job, token) => {
    if (err instanceof RetryAfter && token) {
      await job.moveToDelayed(Date.now() + err.ms, token);
      throw new DelayedError();
    }
    throw err instanceof Error ? err : new Error(String(err));
  },
  onFastError: async (err, chatId) => {
    if (err instanceof RetryAfter) {
      await enqueue(queues, "send", [{ chatId, outboxId: err.outboxId, retry: err.attempts }], { delayMs: err.ms });
    } else log.warn({ err, chat_id: chatId }, "fast delivery failed; the job or the sweeper retries");
  },
  close: () => markPool.end(),
  sweep: async () => {
    const stale = await findStaleOutboxChats(pool, cfg.SWEEP_STALE_MS, 500);
    for (const s of stale) {
      const delayMs = s.notBefore ? Math.max(0, s.notBefore.getTime() - Date.now()) : 0;
      await enqueue(queues, "send", [{ chatId: s.chatId, outboxId: s.firstId, retry: s.attempts }], { delayMs });
    }
    return stale.length;
  },
});
