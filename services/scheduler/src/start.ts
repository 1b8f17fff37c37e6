// Composition root of the scheduler: a BullMQ job scheduler ticks every NOTIFY_TICK_SEC and each
// tick writes the owners' digests, weekly reports and alerts to the outbox (the sender delivers).
// A second job scheduler prunes old finished rows every RETENTION_INTERVAL_SEC (retention.ts).
import { Queue, Worker } from "bullmq";
import type { Config } from "@ownerbot/core/config";
import { createServiceOps, type Running, workerCheck } from "@ownerbot/core/ops";
import { createLogger } from "@ownerbot/core/logger";
import { createDb, createPool } from "@ownerbot/core/db";
import {
  addRowJobsOrLeave,
  closeQueues,
  createQueues,
  createRedis,
  keepScheduler,
  type KeptScheduler,
  SCHEDULES,
} from "@ownerbot/core/queue";
import { runTick } from "./tick.ts";
import { startRetention } from "./retention.ts";

export async function start(cfg: Config): Promise<Running> {
  const log = createLogger({ name: "scheduler", level: cfg.LOG_LEVEL, secrets: cfg.secrets });
  const pool = createPool(cfg.DATABASE_URL, cfg.DATABASE_POOL_SIZE);
  const db = createDb(pool);
  const redis = createRedis(cfg.REDIS_URL);
  const def = SCHEDULES.notify;
  const queue = new Queue(def.queue, { connection: redis, prefix: cfg.QUEUE_PREFIX });
  const queues = createQueues(cfg.REDIS_URL, cfg.QUEUE_PREFIX);
  const ops = createServiceOps("scheduler", cfg, log);
  const onWritten = async (rows: { outbox: { id: number; chatId: number }[]; reports: { id: number; chatId: number }[] }) => {
    await addRowJobsOrLeave(queues, "send", rows.outbox, log);
    await addRowJobsOrLeave(queues, "report", rows.reports, log);
  };
  const shop = { shopId: cfg.SHOP_ID, currency: cfg.SHOP_CURRENCY, timeZone: cfg.OWNER_TZ, locale: cfg.SHOP_LOCALE };

  // Housekeeping, whether or not notifications are on.
  const retention = await startRetention({ cfg, pool, connection: redis, log });

  let worker: Worker | undefined;
  let kept: KeptScheduler | undefined;
  if (cfg.NOTIFY_WORKER_ENABLED) {
    // Idempotent: every scheduler process upserts the same scheduler; Redis holds one (and gets it
    // back if it forgets it).
    kept = await keepScheduler(queue, { ...def, everyMs: cfg.NOTIFY_TICK_SEC * 1000 }, log);
    worker = new Worker(
      def.queue,
      async () => {
        const r = await runTick({ pool, db, shop, ownerIds: cfg.OWNER_IDS, log, onWritten }, new Date());
        if (r.sent > 0 || r.errors > 0) log.info(r, "notify tick");
      },
      { connection: createRedis(cfg.REDIS_URL), prefix: cfg.QUEUE_PREFIX, concurrency: 1 },
    );
    worker.on("failed", (job, err) => log.warn({ err, job_id: job?.id }, "notify tick failed"));
    ops.metrics.watchWorker(def.queue, worker);
    worker.on("error", (err) => log.error({ err }, "scheduler worker error"));
    log.info({ tick_sec: cfg.NOTIFY_TICK_SEC, owners: cfg.OWNER_IDS.length }, "scheduler started");
  } else {
    await queue.removeJobScheduler(def.schedulerId);
    log.info("NOTIFY_WORKER_ENABLED=false: no digests or alerts are sent");
  }

  // With notifications off there is no notify worker; retention runs either way.
  await ops.serve({ pool, redis: queues.connection, checks: cfg.NOTIFY_WORKER_ENABLED ? { worker: workerCheck(() => worker) } : {} });

  return {
    stop: async () => {
      log.info("stopping: finishing the current tick");
      await ops.stop();
      kept?.stop();
      await worker?.close();
      await retention.stop();
      await queue.close();
      await closeQueues(queues);
      redis.disconnect();
      await pool.end();
      log.flush();
    },
  };
}
