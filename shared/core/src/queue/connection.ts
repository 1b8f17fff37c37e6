import { Queue } from "bullmq";
import { Redis, type RedisOptions } from "ioredis";
import type { Logger } from "../logger/index.ts";
import { JOBS, jobId, rowJobOptions, type JobName, type RowJob } from "./jobs.ts";

/** BullMQ workers need blocking commands without a retry cap; a command never fails on a slow Redis. */
export function createRedis(url: string, opts: RedisOptions = {}): Redis {
  return new Redis(url, {
    maxRetriesPerRequest: null,
    enableReadyCheck: true,
    enableAutoPipelining: true,
    retryStrategy: (n) => Math.min(200 * n, 2000),
    ...opts,
  });
}

export type Queues = {
  [N in JobName]: Queue;
} & { readonly connection: Redis };

/**
 * Producers get a connection of their own that fails fast while Redis is away (no offline queue):
 * a job add must never hold up the work that committed its row, and the sweeper adds it later.
 */
export function createQueues(url: string, prefix: string): Queues {
  const connection = createRedis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
  // Without a listener an unreachable Redis would be an unhandled 'error' event.
  connection.on("error", () => undefined);
  const make = (name: string): Queue => new Queue(name, { connection, prefix });
  return {
    connection,
    intent: make(JOBS.intent.queue),
    send: make(JOBS.send.queue),
    report: make(JOBS.report.queue),
    action: make(JOBS.action.queue),
    asr: make(JOBS.asr.queue),
    llm: make(JOBS.llm.queue),
  };
}

export type RowJobAdd = RowJob & { delayMs?: number };

/**
 * Adds the jobs of rows that just committed, in one round trip. A job id that exists already is
 * left alone by BullMQ, so adding again (the sweeper, a retried finish) is harmless.
 */
export async function addRowJobs(queues: Queues, name: JobName, rows: readonly RowJobAdd[]): Promise<void> {
  if (rows.length === 0) return;
  const q = queues[name];
  if (rows.length === 1) {
    const r = rows[0] as RowJobAdd;
    await q.add(name, { chatId: r.chatId, id: r.id }, rowJobOptions(name, r.id, r.delayMs));
    return;
  }
  await q.addBulk(rows.map((r) => ({ name, data: { chatId: r.chatId, id: r.id }, opts: rowJobOptions(name, r.id, r.delayMs) })));
}

/**
 * The same, for a caller whose rows are already committed and must not fail because Redis is
 * away: the rows are the truth and the sweeper adds their jobs within SWEEP_STALE_MS.
 */
export async function addRowJobsOrLeave(queues: Queues, name: JobName, rows: readonly RowJobAdd[], log: Logger): Promise<void> {
  try {
    await addRowJobs(queues, name, rows);
  } catch (err) {
    log.warn({ err, queue: name, jobs: rows.length }, "adding jobs failed; the sweeper adds them from their rows");
  }
}

/**
 * Of these rows, the ones whose job Redis does not hold (in any state): one pipelined EXISTS per
 * job key, far cheaper than adding every job again and letting BullMQ find it there.
 */
export async function rowsWithoutJobs<R extends { id: number }>(queues: Queues, name: JobName, rows: readonly R[]): Promise<R[]> {
  if (rows.length === 0) return [];
  const q = queues[name];
  const pipe = queues.connection.pipeline();
  for (const r of rows) pipe.exists(q.toKey(jobId(name, r.id)));
  const answers = (await pipe.exec()) ?? [];
  return rows.filter((_, i) => {
    const [err, n] = answers[i] ?? [null, 0];
    return err !== null || n === 0;
  });
}

export async function closeQueues(queues: Queues): Promise<void> {
  const { connection, ...byName } = queues;
  await Promise.all(Object.values(byName).map((q) => q.close()));
  connection.disconnect();
}
