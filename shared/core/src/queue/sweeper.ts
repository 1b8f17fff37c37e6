import type { Redis } from "ioredis";
import type { Logger } from "../logger/index.ts";

export type SweepTask = { name: string; run: () => Promise<number> };

/**
 * Postgres is the truth and Redis only delivers: every interval the sweeper finds rows that waited
 * longer than they should, or whose lease expired, and adds their jobs again (job ids are derived
 * from the rows, so a job that still exists is not duplicated; one that Redis lost is rebuilt).
 * One sweeper per task name runs at a time across processes.
 */
export function startSweeper(o: { redis: Redis; keyPrefix: string; intervalMs: number; log: Logger; tasks: SweepTask[] }): {
  stop: () => Promise<void>;
} {
  let running: Promise<void> = Promise.resolve();
  let stopped = false;
  const tick = async (): Promise<void> => {
    for (const task of o.tasks) {
      if (stopped) return;
      try {
        const lock = await o.redis.set(`${o.keyPrefix}:sweep:${task.name}`, "1", "PX", Math.max(o.intervalMs - 50, 50), "NX");
        if (lock !== "OK") continue;
        const n = await task.run();
        if (n > 0) o.log.info({ task: task.name, jobs: n }, "sweeper re-added jobs Redis had lost");
      } catch (err) {
        o.log.warn({ err, task: task.name }, "sweep failed; next interval tries again");
      }
    }
  };
  const timer = setInterval(() => {
    running = running.then(tick);
  }, o.intervalMs);
  timer.unref();
  return {
    stop: async () => {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
