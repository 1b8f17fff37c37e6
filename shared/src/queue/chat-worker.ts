import { Worker, type Job } from "bullmq";
import type pg from "pg";
import type { Redis } from "ioredis";
import type { Config } from "../config/index.ts";
import type { Logger } from "../logger/index.ts";
import { chatScheduler, listen } from "../db/notify.ts";
import { JOBS } from "./jobs.ts";
import { closeQueues, createRedis, type Queues } from "./connection.ts";
import { startSweeper } from "./sweeper.ts";

export type ChatWorkerOptions = {
  name: "intent" | "send" | "report";
  cfg: Config;
  log: Logger;
  pool: pg.Pool;
  redis: Redis;
  queues: Queues;
  channel: string;
  concurrency: number;
  /**
   * Drains one chat; `runId` names this run in leases. `notified` is true on the fast path, where
   * a commit just announced work, so the drainer may claim without looking first.
   */
  drain: (chatId: number, runId: string, notified: boolean) => Promise<void>;
  /** What a BullMQ job does with a failure of drain (rethrow for retry, or delay the job). */
  onJobError?: (err: unknown, job: Job, token: string | undefined) => Promise<never>;
  /** What the fast path does with a failure (the job or the sweeper retries anyway). */
  onFastError?: (err: unknown, chatId: number) => Promise<void>;
  /** Re-enqueues work whose job vanished or whose lease expired; returns how many chats. */
  sweep: () => Promise<number>;
  /** Closes what else the process opened (after the workers stopped). */
  close?: () => Promise<void>;
};

/**
 * One chat-draining worker process: a BullMQ worker (the durable path), a LISTEN fast path that
 * starts a chat the moment its rows commit, a sweeper, and a clean SIGTERM.
 */
export function runChatWorker(o: ChatWorkerOptions): void {
  const payload = JOBS[o.name].payload;
  const worker = new Worker(
    JOBS[o.name].queue,
    async (job, token) => {
      const p = payload.parse(job.data);
      try {
        await o.drain(p.chatId, job.id ?? `${o.name}-${p.chatId}`, false);
      } catch (err) {
        if (o.onJobError) await o.onJobError(err, job, token);
        throw err;
      }
    },
    { connection: createRedis(o.cfg.REDIS_URL), prefix: o.cfg.QUEUE_PREFIX, concurrency: o.concurrency },
  );
  worker.on("failed", (job, err) => o.log.warn({ err, job_id: job?.id, attempts: job?.attemptsMade }, `${o.name} job failed`));
  worker.on("error", (err) => o.log.error({ err }, `${o.name} worker error`));

  let runs = 0;
  const fast = chatScheduler(o.concurrency, async (chatId) => {
    await o.drain(chatId, `fast-${++runs}`, true).catch(async (err: unknown) => {
      if (o.onFastError) await o.onFastError(err, chatId).catch(() => undefined);
      else o.log.warn({ err, chat_id: chatId }, "fast path failed; the job or the sweeper retries");
    });
  });
  // Without LISTEN (e.g. behind a transaction-pooling PgBouncer) the sweepers alone create jobs.
  const listener = o.cfg.FASTPATH_ENABLED
    ? listen({ url: o.cfg.DATABASE_URL, channel: o.channel, log: o.log, onChats: (ids) => fast.add(ids) })
    : { close: async () => undefined };
  const sweeper = startSweeper({
    redis: o.redis,
    keyPrefix: o.cfg.QUEUE_PREFIX,
    intervalMs: o.cfg.SWEEP_INTERVAL_MS,
    log: o.log,
    tasks: [{ name: o.name, run: o.sweep }],
  });
  o.log.info({ concurrency: o.concurrency, worker_id: o.cfg.workerId }, `${o.name} worker started`);

  let stopping = false;
  const shutdown = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    o.log.info({ signal }, "stopping: finishing current work");
    await listener.close();
    await sweeper.stop();
    // Running chats finish; anything not finished keeps its lease and is re-claimed after it expires.
    while (!fast.idle()) await new Promise((r) => setTimeout(r, 20));
    await worker.close();
    await closeQueues(o.queues);
    o.redis.disconnect();
    await o.close?.();
    await o.pool.end();
    o.log.flush();
    process.exit(0);
  };
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGINT", () => void shutdown("SIGINT"));
}
