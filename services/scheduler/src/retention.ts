import { Queue, Worker } from "bullmq";
import type { Redis } from "ioredis";
import type pg from "pg";
import type { Config } from "@ownerbot/core/config";
import type { Logger } from "@ownerbot/core/logger";
import { runRetention, type RetentionOptions, type RetentionReport } from "@ownerbot/core/db";
import { createRedis, keepScheduler, SCHEDULES } from "@ownerbot/core/queue";

// Retention in the scheduler: a second BullMQ job scheduler makes one job per RETENTION_INTERVAL_SEC
// across all scheduler processes, and each run takes a Postgres advisory lock so a slow run and the
// next (or a second deployment with its own Redis) never delete side by side — the later one skips.

/** Advisory lock key of the retention run ("obret" in ASCII). */
export const RETENTION_LOCK_KEY = 0x6f62726574;

/**
 * How long one run may keep starting batches. Each batch is short; this caps the run, so a first
 * run on a year-old database spreads its work over several intervals instead of one long stretch.
 */
export const RETENTION_BUDGET_MS = 20_000;

export function retentionOptions(cfg: Config, now: Date): RetentionOptions {
  return {
    windows: {
      inboxDays: cfg.RETENTION_INBOX_DAYS,
      outboxDays: cfg.RETENTION_OUTBOX_DAYS,
      reportDays: cfg.RETENTION_REPORT_DAYS,
      auditDays: cfg.RETENTION_AUDIT_DAYS,
      tokenGraceHours: cfg.RETENTION_TOKEN_GRACE_HOURS,
      actionDays: cfg.RETENTION_ACTION_DAYS,
      asrDays: cfg.RETENTION_ASR_DAYS,
      asrCacheDays: cfg.RETENTION_ASR_CACHE_DAYS,
    },
    batch: cfg.RETENTION_BATCH,
    budgetMs: RETENTION_BUDGET_MS,
    now,
  };
}

/**
 * One run under the lock, or null when another run holds it. The lock is a session lock on the
 * connection that also runs the deletes: a transaction-scoped one would need a second connection
 * (the deletes must commit batch by batch, outside the lock's transaction), which a pool of one
 * could not give.
 */
export async function retentionTick(pool: pg.Pool, o: RetentionOptions, log: Logger): Promise<RetentionReport | null> {
  const conn = await pool.connect();
  let mayHoldLock = true;
  try {
    const { rows } = await conn.query<{ ok: boolean }>("SELECT pg_try_advisory_lock($1) AS ok", [RETENTION_LOCK_KEY]);
    if (rows[0]?.ok !== true) {
      mayHoldLock = false;
      log.info("another retention run is going; skipped");
      return null;
    }
    return await runRetention(conn, o, log);
  } finally {
    if (mayHoldLock) {
      await conn.query("SELECT pg_advisory_unlock($1)", [RETENTION_LOCK_KEY]).then(
        () => {
          mayHoldLock = false;
        },
        () => undefined,
      );
    }
    // A connection that may still hold the lock is closed, not pooled: it would block every later run.
    conn.release(mayHoldLock);
  }
}

export type RetentionHandle = { stop: () => Promise<void> };

/** Declares the job scheduler (idempotent: every process upserts the same one) and works its jobs. */
export async function startRetention(d: { cfg: Config; pool: pg.Pool; connection: Redis; log: Logger }): Promise<RetentionHandle> {
  const def = SCHEDULES.retention;
  const prefix = d.cfg.QUEUE_PREFIX;
  const queue = new Queue(def.queue, { connection: d.connection, prefix });
  const kept = await keepScheduler(queue, { ...def, everyMs: d.cfg.RETENTION_INTERVAL_SEC * 1000 }, d.log);
  const workerRedis = createRedis(d.cfg.REDIS_URL);
  const worker = new Worker(
    def.queue,
    async () => {
      await retentionTick(d.pool, retentionOptions(d.cfg, new Date()), d.log);
    },
    { connection: workerRedis, prefix, concurrency: 1 },
  );
  worker.on("failed", (job, err) => d.log.warn({ err, job_id: job?.id }, "retention run failed"));
  worker.on("error", (err) => d.log.error({ err }, "retention worker error"));
  d.log.info({ interval_sec: d.cfg.RETENTION_INTERVAL_SEC, ...retentionOptions(d.cfg, new Date()).windows }, "retention scheduled");
  return {
    stop: async () => {
      kept.stop();
      await worker.close();
      await queue.close();
      workerRedis.disconnect();
    },
  };
}
