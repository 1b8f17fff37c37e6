// Composition root of the sender: the only code that calls Telegram's send methods.
import type { Config } from "@ownerbot/core/config";
import { createServiceOps, type Running, workerCheck } from "@ownerbot/core/ops";
import { createLogger } from "@ownerbot/core/logger";
import { createPool } from "@ownerbot/core/db";
import { closeQueues, createQueues, startChatWork } from "@ownerbot/core/queue";
import { createTelegramClient } from "@ownerbot/core/telegram";
import { createAuthGate } from "./auth-gate.ts";
import { createDeliverer } from "./deliver.ts";
import { createRateLimiter } from "./rate-limit.ts";

export async function start(cfg: Config): Promise<Running> {
  const log = createLogger({ name: "sender", level: cfg.LOG_LEVEL, secrets: cfg.secrets });
  // Claims commit synchronously: that flushes the WAL, and with it the worker's asynchronous finish,
  // before a reply is sent. Outcomes ("sent", "failed") commit asynchronously (see deliver.ts).
  const pool = createPool(cfg.DATABASE_URL, cfg.DATABASE_POOL_SIZE);
  const markPool = createPool(cfg.DATABASE_URL, cfg.DATABASE_POOL_SIZE, { synchronousCommit: false });
  const queues = createQueues(cfg.REDIS_URL, cfg.QUEUE_PREFIX);
  const telegram = createTelegramClient({ token: cfg.BOT_TOKEN, apiRoot: cfg.TELEGRAM_API_ROOT, timeoutMs: cfg.TELEGRAM_TIMEOUT_MS });
  const ops = createServiceOps("sender", cfg, log);
  telegram.api.config.use(ops.metrics.telegramTransformer());

  // While Telegram refuses the token, the worker takes no jobs: they wait in the queue, untouched.
  const auth = createAuthGate({
    probe: () => telegram.api.getMe(),
    intervalMs: cfg.SENDER_AUTH_PROBE_SEC * 1000,
    log,
    onPause: () => void work.worker.pause(true),
    onResume: () => void work.worker.resume(),
  });
  const deliver = createDeliverer({
    pool,
    markPool,
    telegram,
    limiter: createRateLimiter({ globalPerSec: cfg.TELEGRAM_GLOBAL_RATE_PER_SEC, chatPerSec: cfg.TELEGRAM_CHAT_RATE_PER_SEC }),
    auth,
    log,
    leaseSec: cfg.LEASE_SEC,
    backoff: { baseMs: cfg.JOB_BACKOFF_BASE_MS, maxMs: cfg.JOB_BACKOFF_MAX_MS },
    maxAttempts: cfg.SENDER_MAX_ATTEMPTS,
    retryWindowMs: cfg.SENDER_RETRY_WINDOW_SEC * 1000,
    maxAgeMs: cfg.SENDER_REPLY_MAX_AGE_SEC * 1000,
  });

  const work = startChatWork({
    name: "send",
    redisUrl: cfg.REDIS_URL,
    prefix: cfg.QUEUE_PREFIX,
    pool,
    queues,
    log,
    workerId: cfg.workerId,
    concurrency: cfg.SENDER_CONCURRENCY,
    leaseSec: cfg.LEASE_SEC,
    backoff: { baseMs: cfg.JOB_BACKOFF_BASE_MS, maxMs: cfg.JOB_BACKOFF_MAX_MS },
    sweep: { intervalMs: cfg.SWEEP_INTERVAL_MS, staleMs: cfg.SWEEP_STALE_MS },
    drain: deliver,
    observe: ops.metrics.chatWork("send"),
  });
  ops.metrics.watchWorker("send", work.worker);
  // Not ready while Telegram refuses the token: nothing can be sent until it is fixed.
  await ops.serve({
    pool,
    redis: queues.connection,
    checks: {
      telegram: () => (auth.pausedSince === null ? undefined : "Telegram refuses the bot token"),
      worker: workerCheck(() => work.worker),
    },
  });

  return {
    stop: async () => {
      log.info("stopping: finishing the replies in hand");
      auth.stop();
      await ops.stop();
      await work.stop();
      await closeQueues(queues);
      await markPool.end();
      await pool.end();
      log.flush();
    },
  };
}
