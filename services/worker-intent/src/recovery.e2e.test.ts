import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FakeTelegram } from "@ownerbot/testkit/fake-telegram";
import type { TestEnv } from "@ownerbot/testkit/harness";
import type { Stack } from "@ownerbot/testkit/services";
import { feedWhileKilling, OWNER, startWorld, type World } from "@ownerbot/testkit/world";
import { isReplyTo, sleep, until, waitForCalls } from "@ownerbot/testkit/wait";
import { checkWorld, formatHistory, violated } from "@ownerbot/testkit/history";

const STRANGER = 2002;
let t: TestEnv;
let tg: FakeTelegram;
let stack: Stack;

let world: World;
beforeAll(async () => {
  world = await startWorld({ LEASE_SEC: "2" });
  ({ t, tg, stack } = world);
});
afterAll(async () => world?.close());

async function count(sql: string, params: unknown[]): Promise<number> {
  const { rows } = await t.pool.query<{ n: number }>(sql, params);
  return rows[0]?.n ?? 0;
}

/** Every inbox row of these updates answered by exactly one delivered reply. */
async function expectAnsweredOnce(updateIds: number[]): Promise<void> {
  // Telegram has answered; the sender records that a moment later.
  await until(async () => (await count("SELECT count(*)::int AS n FROM outbox WHERE status IN ('pending', 'claimed')", [])) === 0);
  const { rows } = await t.pool.query<{ update_id: number; sent: number; status: string }>(
    `SELECT i.update_id, i.status, count(o.id) FILTER (WHERE o.status = 'sent')::int AS sent
     FROM inbox i LEFT JOIN outbox o ON o.cause = 'upd:' || i.id
     WHERE i.update_id = ANY($1::bigint[]) GROUP BY i.update_id, i.status`,
    [updateIds],
  );
  expect(rows).toHaveLength(updateIds.length);
  for (const r of rows) expect({ id: r.update_id, status: r.status, sent: r.sent }).toEqual({ id: r.update_id, status: "done", sent: 1 });
}

describe("recovery", () => {
  it("answers every update exactly once when the intent worker is killed mid-job", async () => {
    const since = tg.lastSeq();
    const ids = await feedWhileKilling(world, {
      service: "worker-intent",
      text: "/start",
      rounds: 20,
      perRound: 10,
      gapMs: 20,
      kills: 6,
      killGapMs: [40, 160],
    });
    await waitForCalls(tg, isReplyTo(OWNER), ids.length, { since, timeoutMs: 60_000 });
    await sleep(1000);
    expect(tg.calls(since).filter(isReplyTo(OWNER))).toHaveLength(ids.length);
    await expectAnsweredOnce(ids);
  });

  it("finishes every request after Redis loses all its queues", async () => {
    // Stop both consumers so the jobs sit in Redis when it is flushed: only the sweepers can recover.
    await stack["worker-intent"].kill("SIGTERM");
    await stack.sender.kill("SIGTERM");
    const since = tg.lastSeq();
    const ids: number[] = [];
    for (let k = 0; k < 100; k++) ids.push(tg.pushText(OWNER, "/help").update_id);
    await until(
      async () => (await count("SELECT count(*)::int AS n FROM inbox WHERE update_id = ANY($1::bigint[])", [ids])) === ids.length,
    );
    await t.flushRedis();
    await stack.restart("worker-intent", "SIGTERM");
    await until(
      async () =>
        (await count("SELECT count(*)::int AS n FROM inbox WHERE update_id = ANY($1::bigint[]) AND status = 'done'", [ids])) === ids.length,
    );
    await t.flushRedis();
    await stack.restart("sender", "SIGTERM");
    await waitForCalls(tg, isReplyTo(OWNER), ids.length, { since, timeoutMs: 60_000 });
    await expectAnsweredOnce(ids);
  });

  it("gives a stranger nothing and audits them once per window", async () => {
    const since = tg.lastSeq();
    for (let k = 0; k < 5; k++) tg.pushText(STRANGER, "/start");
    tg.pushCallback(STRANGER, "anything");
    tg.pushText(OWNER, "/help");
    await waitForCalls(tg, isReplyTo(OWNER), 1, { since });
    await waitForCalls(tg, (c) => c.method === "answerCallbackQuery", 1, { since });
    await sleep(500);
    expect(tg.calls(since).filter(isReplyTo(STRANGER))).toHaveLength(0);
    const { rows } = await t.pool.query<{ kind: string; n: number }>(
      "SELECT payload->>'update_kind' AS kind, count(*)::int AS n FROM audit_events WHERE event_type = 'access_denied' AND actor_id = $1 GROUP BY 1 ORDER BY 1",
      [STRANGER],
    );
    expect(rows).toEqual([
      { kind: "callback", n: 1 },
      { kind: "command", n: 1 },
    ]);
  });

  it("leaves a history the checker passes (RELIABILITY.md promises 1, 2, 3, 8, 9)", async () => {
    const report = await checkWorld(world, { owners: [OWNER] });
    expect(violated(report, [1, 2, 3, 8, 9]), formatHistory(report)).toEqual([]);
  });
});
