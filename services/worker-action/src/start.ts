// Composition root of the action worker: claims confirmed actions per chat, commits each through
// the provider with its idempotency key, and writes the outcome (and the team's messages) to the outbox.
import type { Config } from "@ownerbot/core/config";
import type { Running } from "@ownerbot/core/ops";
import { createLogger } from "@ownerbot/core/logger";
import { createDb, createPool } from "@ownerbot/core/db";
import { closeQueues, createQueues, startChatWork, startSweeper } from "@ownerbot/core/queue";
import { createActionDrainer } from "./drain.ts";
import { reportSettled } from "./deliveries.ts";
import { sisActionsFromConfig, sisConfigured } from "@ownerbot/domain/sis";

export async function start(cfg: Config): Promise<Running> {
  const log = createLogger({ name: "worker-action", level: cfg.LOG_LEVEL, secrets: cfg.secrets });
  // Commits here need not wait for the disk. The DEMO effect and its ledger row are one transaction,
  // so a Postgres crash loses both or neither: the action is still in_progress and runs again with
  // the same key. A lost finish only means the retry replays the ledger. And the owner sees nothing
  // before the sender's synchronous claim of the outcome, which flushes every earlier commit.
  const pool = createPool(cfg.DATABASE_URL, Math.min(cfg.DATABASE_POOL_SIZE, cfg.ACTION_CONCURRENCY + 2), { synchronousCommit: false });
  const queues = createQueues(cfg.REDIS_URL, cfg.QUEUE_PREFIX);
  const backoff = { baseMs: cfg.JOB_BACKOFF_BASE_MS, maxMs: cfg.JOB_BACKOFF_MAX_MS };
  // Commits previewed against SIS go to its Actions API with their idempotency key (docs/sis-contract.md).
  const sisActions = sisActionsFromConfig(cfg);

  const work = startChatWork({
    name: "action",
    redisUrl: cfg.REDIS_URL,
    prefix: cfg.QUEUE_PREFIX,
    pool,
    queues,
    log,
    workerId: cfg.workerId,
    concurrency: cfg.ACTION_CONCURRENCY,
    leaseSec: cfg.LEASE_SEC,
    backoff,
    sweep: { intervalMs: cfg.SWEEP_INTERVAL_MS, staleMs: cfg.SWEEP_STALE_MS },
    drain: createActionDrainer({
      pool,
      db: createDb(pool),
      queues,
      log,
      shop: { shopId: cfg.SHOP_ID, currency: cfg.SHOP_CURRENCY, timeZone: cfg.OWNER_TZ, locale: cfg.SHOP_LOCALE },
      managerChatIds: cfg.MANAGER_CHAT_IDS,
      sisConfigured: sisConfigured(cfg),
      ...(sisActions ? { sisActions } : {}),
      leaseSec: cfg.LEASE_SEC,
      maxAttempts: cfg.ACTION_MAX_ATTEMPTS,
      timeoutMs: cfg.ACTION_TIMEOUT_MS,
      backoff,
    }),
  });

  // Reports notify_team deliveries once the sender has settled every message (deliveries.ts).
  const deliveries = startSweeper({
    redis: queues.connection,
    keyPrefix: cfg.QUEUE_PREFIX,
    intervalMs: cfg.SWEEP_INTERVAL_MS,
    log,
    tasks: [{ name: "action-deliveries", run: () => reportSettled({ pool, queues, log }) }],
  });

  return {
    stop: async () => {
      log.info("stopping: finishing the actions in hand");
      await deliveries.stop();
      await work.stop();
      await closeQueues(queues);
      await pool.end();
      log.flush();
    },
  };
}
