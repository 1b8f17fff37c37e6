import { Queue } from "bullmq";
import { Redis, type RedisOptions } from "ioredis";
import { BASE_JOB_OPTIONS, JOBS, jobOptions, type JobName, type JobPayload } from "./jobs.ts";

/** BullMQ workers need blocking commands without a retry cap; a command never fails on a slow Redis. */
export function createRedis(url: string, opts: RedisOptions = {}): Redis {
  return new Redis(url, {
    maxRetriesPerRequest: null,
    enableReadyCheck: true,
    retryStrategy: (n) => Math.min(200 * n, 2000),
    ...opts,
  });
}

export type Queues = {
  [N in JobName]: Queue;
};

export function createQueues(connection: Redis, prefix: string): Queues {
  const make = (name: string): Queue => new Queue(name, { connection, prefix, defaultJobOptions: BASE_JOB_OPTIONS });
  return { intent: make(JOBS.intent.queue), send: make(JOBS.send.queue), report: make(JOBS.report.queue) };
}

export async function enqueue<N extends JobName>(
  queues: Queues,
  name: N,
  payloads: JobPayload<N>[],
  o: { delayMs?: number } = {},
): Promise<void> {
  if (payloads.length === 0) return;
  const q = queues[name];
  const opts = (p: JobPayload<N>) => ({ ...jobOptions(name, p), ...(o.delayMs ? { delay: o.delayMs } : {}) });
  if (payloads.length === 1) {
    const p = payloads[0] as JobPayload<N>;
    await q.add(name, p, opts(p));
    return;
  }
  await q.addBulk(payloads.map((p) => ({ name, data: p, opts: opts(p) })));
}

export async function closeQueues(queues: Queues): Promise<void> {
  await Promise.all(Object.values(queues).map((q) => q.close()));
}
