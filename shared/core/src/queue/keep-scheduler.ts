import type { Queue } from "bullmq";
import type { Logger } from "../logger/index.ts";

// A BullMQ job scheduler lives only in Redis. Redis restarted without persistence (or flushed)
// forgets it, and no tick would come again until a scheduler process restarted and upserted it.
// keepScheduler upserts it at start and then looks every `checkMs` whether Redis still holds it,
// recreating it when not. Every scheduler process does this; the upsert is idempotent, so
// several copies still give one job per interval.

export type SchedulerSpec = {
  schedulerId: string;
  jobName: string;
  everyMs: number;
};

export type KeptScheduler = { stop: () => void };

/** How often a kept scheduler is checked by default: often enough that a lost tick costs under a minute. */
export const SCHEDULER_CHECK_MS = 30_000;

function upsert(queue: Queue, s: SchedulerSpec): Promise<unknown> {
  return queue.upsertJobScheduler(
    s.schedulerId,
    { every: s.everyMs },
    { name: s.jobName, data: {}, opts: { attempts: 1, removeOnComplete: true, removeOnFail: true } },
  );
}

/** Upserts the scheduler now (failing if Redis is away at start) and keeps it there. */
export async function keepScheduler(queue: Queue, s: SchedulerSpec, log: Logger, checkMs = SCHEDULER_CHECK_MS): Promise<KeptScheduler> {
  await upsert(queue, s);
  let checking = false;
  const timer = setInterval(() => {
    if (checking) return;
    checking = true;
    queue
      .getJobScheduler(s.schedulerId)
      .then(async (found) => {
        if (found) return;
        await upsert(queue, s);
        log.warn({ scheduler: s.schedulerId, queue: queue.name }, "job scheduler was missing from Redis; recreated");
      })
      // Redis away: the next check tries again; the queue's connection logs the outage itself.
      .catch((err: unknown) => log.debug({ err, scheduler: s.schedulerId }, "job scheduler check failed"))
      .finally(() => {
        checking = false;
      });
  }, checkMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
