import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OWNER, startWorld, type World } from "@ownerbot/testkit/world";
import { isReplyTo, sleep, waitForCalls } from "@ownerbot/testkit/wait";
import { seedDemo } from "@ownerbot/domain/demo";
import { refreshReadRollups } from "@ownerbot/domain/tools";

// The scheduler as a real process beside the pipeline, ticking every second: the owner receives
// the digest and one ops alert through the fake Telegram, and later ticks repeat neither.

let world: World;
beforeAll(async () => {
  world = await startWorld(
    { NOTIFY_TICK_SEC: "1", OWNER_TZ: "Europe/Moscow" },
    async (env) => {
      await seedDemo(env.pool, { scale: 1000, seed: 5, anchorDay: "2026-11-23", timeZone: "Europe/Moscow", currency: "RUB" });
      await refreshReadRollups(env.db, { wait: true });
      // 00:00 local has always passed: the digest is due on the first tick, whenever the test runs.
      await env.pool.query(
        `INSERT INTO owner_notify_settings (owner_id, digest_enabled, digest_time_local, ops_alerts_enabled) VALUES ($1, true, '00:00', true)`,
        [OWNER],
      );
    },
    { scheduler: true },
  );
}, 120_000);
afterAll(async () => world?.close());

const texts = (w: World): string[] =>
  w.tg
    .calls(0)
    .filter(isReplyTo(OWNER))
    .map((c) => String(c.params.text));

describe("scheduler", () => {
  it("delivers the digest and one ops alert, and later ticks send neither again", async () => {
    const { tg, t } = world;
    await waitForCalls(tg, (c) => isReplyTo(OWNER)(c) && /Дайджест/.test(String(c.params.text)), 1, { timeoutMs: 30_000 });
    await waitForCalls(tg, (c) => isReplyTo(OWNER)(c) && /Операционные сигналы/.test(String(c.params.text)), 1, { timeoutMs: 30_000 });
    const { rows } = await t.pool.query<{ digest_last_sent_at: Date | null; ops_alerts_last_sent_at: Date | null }>(
      "SELECT digest_last_sent_at, ops_alerts_last_sent_at FROM owner_notify_settings WHERE owner_id = $1",
      [OWNER],
    );
    expect(rows[0]!.digest_last_sent_at).not.toBeNull();
    expect(rows[0]!.ops_alerts_last_sent_at).not.toBeNull();

    await sleep(3_500); // three more ticks
    const all = texts(world);
    expect(all.filter((x) => /Дайджест/.test(x))).toHaveLength(1);
    expect(all.filter((x) => /Операционные сигналы/.test(x))).toHaveLength(1);
    const ob = await t.pool.query<{ cause: string; status: string }>(
      "SELECT cause, status FROM outbox WHERE cause LIKE 'ntf:%' ORDER BY id",
    );
    expect(ob.rows.map((r) => r.cause.split(":").slice(0, 3).join(":"))).toEqual([`ntf:ops:${OWNER}`, `ntf:digest:${OWNER}`]);
    expect(ob.rows.every((r) => r.status === "sent")).toBe(true);
  });
});
