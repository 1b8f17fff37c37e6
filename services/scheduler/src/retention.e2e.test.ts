import { Queue } from "bullmq";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestEnv, type TestEnv } from "@ownerbot/testkit/harness";
import { startService, type ServiceHandle } from "@ownerbot/testkit/services";
import { until } from "@ownerbot/testkit/wait";
import { SCHEDULES } from "@ownerbot/core/queue";

// The scheduler as a real process, with notifications switched off: its retention job scheduler
// runs a tick at start, which deletes the old finished rows in batches and leaves open work alone.

let t: TestEnv;
let scheduler: ServiceHandle | undefined;
beforeAll(async () => {
  t = await createTestEnv();
}, 60_000);
afterAll(async () => {
  await scheduler?.kill("SIGKILL");
  await t?.close();
});

const count = async (sql: string): Promise<number> => (await t.pool.query<{ n: number }>(sql)).rows[0]!.n;

describe("scheduler retention", () => {
  it("a retention tick deletes old finished rows in batches and keeps open ones; SIGTERM stops it cleanly", async () => {
    await t.pool.query(`
      INSERT INTO inbox (bot_id, update_id, chat_id, kind, payload, status, received_at, done_at)
      SELECT 1, g, 7, 'text', '{}', CASE WHEN g <= 5 THEN 'done' ELSE 'new' END, now() - interval '30 days',
             CASE WHEN g <= 5 THEN now() - interval '30 days' END
      FROM generate_series(1, 8) g;
      INSERT INTO outbox (cause, seq, chat_id, method, payload, status, created_at, sent_at)
      SELECT 'e2e:' || g, 0, 7, 'sendMessage', '{}', CASE WHEN g <= 3 THEN 'sent' ELSE 'pending' END, now() - interval '30 days',
             CASE WHEN g <= 3 THEN now() - interval '30 days' END
      FROM generate_series(1, 5) g;
      INSERT INTO audit_events (event_type, occurred_at) VALUES ('old', now() - interval '200 days'), ('new', now());`);

    scheduler = startService("scheduler", t.env({ NOTIFY_WORKER_ENABLED: "false", LOG_LEVEL: "info", RETENTION_BATCH: "2" }));
    await until(async () => scheduler!.output().includes("retention: old rows deleted"), 30_000);

    const summary = scheduler
      .output()
      .split("\n")
      .filter((l) => l.includes("retention: old rows deleted"))
      .map((l) => JSON.parse(l) as { deleted: Record<string, number>; batches: number; caughtUp: boolean });
    expect(summary).toHaveLength(1);
    expect(summary[0]).toMatchObject({ deleted: { inbox: 5, outbox: 3, audit_events: 1 }, caughtUp: true });
    // Batches of 2: inbox 2+2+1, outbox 2+1, audit 1, one empty batch each for the seven other tables.
    expect(summary[0]!.batches).toBe(13);
    expect(await count("SELECT count(*)::int AS n FROM inbox WHERE status = 'new'")).toBe(3);
    expect(await count("SELECT count(*)::int AS n FROM inbox WHERE status <> 'new'")).toBe(0);
    expect(await count("SELECT count(*)::int AS n FROM outbox WHERE status = 'pending'")).toBe(2);
    expect(await count("SELECT count(*)::int AS n FROM outbox WHERE status <> 'pending'")).toBe(0);
    expect(await count("SELECT count(*)::int AS n FROM audit_events WHERE event_type = 'new'")).toBe(1);

    const def = SCHEDULES.retention;
    const queue = new Queue(def.queue, { connection: t.redis, prefix: t.prefix });
    try {
      const js = await queue.getJobScheduler(def.schedulerId);
      expect(js).toMatchObject({ key: "retention-tick", every: 600_000, name: def.jobName });
    } finally {
      await queue.close();
    }

    expect(await scheduler.kill("SIGTERM")).toBe(0);
    scheduler = undefined;
  });
});
