import { Queue } from "bullmq";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestEnv, type TestEnv } from "@ownerbot/testkit/harness";
import { createLogger } from "../logger/index.ts";
import { until } from "@ownerbot/testkit/wait";
import { createRedis } from "./connection.ts";
import { keepScheduler } from "./keep-scheduler.ts";

// Against the real Redis: a job scheduler that Redis forgets (a restart without persistence, a
// flush) comes back by itself, with no restart of the process that declared it.

let t: TestEnv;
beforeAll(async () => {
  t = await createTestEnv();
});
afterAll(async () => t?.close());

describe("keepScheduler", () => {
  it("recreates a job scheduler Redis lost, and says so once", async () => {
    const lines: string[] = [];
    const log = createLogger({ name: "test", level: "info", destination: { write: (s: string) => void lines.push(s) } });
    const redis = createRedis(t.redisUrl);
    const queue = new Queue("keep-test", { connection: redis, prefix: t.prefix });
    const spec = { schedulerId: "keep-tick", jobName: "keep-tick", everyMs: 60_000 };
    const kept = await keepScheduler(queue, spec, log, 100);
    try {
      expect(await queue.getJobScheduler("keep-tick")).toMatchObject({ key: "keep-tick", every: 60_000 });
      await t.flushRedis();
      expect(await queue.getJobScheduler("keep-tick")).toBeUndefined();
      await until(async () => (await queue.getJobScheduler("keep-tick")) !== undefined, 10_000);
      // A tick is due again: the scheduler's next job is back.
      await until(async () => {
        const c = await queue.getJobCounts("delayed", "wait");
        return (c.delayed ?? 0) + (c.wait ?? 0) > 0;
      }, 10_000);
      const warned = lines.filter((l) => l.includes("job scheduler was missing from Redis; recreated"));
      expect(warned).toHaveLength(1);
    } finally {
      kept.stop();
      await queue.close();
      redis.disconnect();
    }
  });
});
