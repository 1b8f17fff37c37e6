import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FakeTelegram } from "@ownerbot/testkit/fake-telegram";
import type { TestEnv } from "@ownerbot/testkit/harness";
import { startService } from "@ownerbot/testkit/services";
import { feedWhileKilling, OWNER, startWorld, type World } from "@ownerbot/testkit/world";
import { isReplyTo, sleep, until, waitForCalls } from "@ownerbot/testkit/wait";
import { checkWorld, formatHistory, violated } from "@ownerbot/testkit/history";

let t: TestEnv;
let tg: FakeTelegram;

let world: World;
beforeAll(async () => {
  world = await startWorld({ LEASE_SEC: "2" });
  ({ t, tg } = world);
});
afterAll(async () => world?.close());

async function inboxUpdateIds(): Promise<number[]> {
  const { rows } = await t.pool.query<{ update_id: number }>("SELECT update_id FROM inbox ORDER BY update_id");
  return rows.map((r) => r.update_id);
}

describe("ingress", () => {
  it("stores an update delivered twice once and answers it once", async () => {
    const since = tg.lastSeq();
    const raw = {
      update_id: 900_001,
      message: {
        message_id: 77,
        date: Math.floor(Date.now() / 1000),
        chat: { id: OWNER, type: "private" },
        from: { id: OWNER, is_bot: false, first_name: "O" },
        text: "/help",
      },
    };
    tg.pushUpdate(raw);
    tg.pushUpdate(raw);
    await waitForCalls(tg, isReplyTo(OWNER), 1, { since });
    await sleep(1500); // room for a wrong second answer to show up
    expect(tg.calls(since).filter(isReplyTo(OWNER))).toHaveLength(1);
    const { rows } = await t.pool.query("SELECT id FROM inbox WHERE update_id = 900001");
    expect(rows).toHaveLength(1);
  });

  it("loses and duplicates nothing when killed with SIGKILL mid-batch, again and again", async () => {
    const since = tg.lastSeq();
    const before = (await inboxUpdateIds()).length;
    const pushed = await feedWhileKilling(world, {
      service: "ingress",
      text: "/help",
      rounds: 30,
      perRound: 10,
      gapMs: 15,
      kills: 12,
      killGapMs: [20, 100],
    });
    await waitForCalls(tg, isReplyTo(OWNER), pushed.length, { since, timeoutMs: 60_000 });
    const stored = await inboxUpdateIds();
    expect(stored.length - before).toBe(pushed.length);
    expect(new Set(stored).size).toBe(stored.length);
    for (const id of pushed) expect(stored).toContain(id);
    // The stored offset never runs ahead of storage: everything below it is in the inbox.
    const { rows } = await t.pool.query<{ next_offset: number }>("SELECT next_offset FROM ingress_state");
    const offset = rows[0]!.next_offset;
    expect(
      tg
        .offeredUpdateIds()
        .filter((id) => id < offset)
        .every((id) => stored.includes(id)),
    ).toBe(true);
    await sleep(1000);
    expect(tg.calls(since).filter(isReplyTo(OWNER))).toHaveLength(pushed.length);
    const report = await checkWorld(world, { owners: [OWNER] });
    expect(violated(report, [1, 2, 3, 8, 9]), formatHistory(report)).toEqual([]);
  });

  it("keeps the bot token out of its logs when Telegram cannot be reached", async () => {
    const token = "987654:SECRET-token-that-must-not-leak-xyz";
    const svc = startService(
      "ingress",
      t.env({ BOT_TOKEN: token, TELEGRAM_API_ROOT: "http://127.0.0.1:9", LOG_LEVEL: "info", TELEGRAM_TIMEOUT_MS: "500" }),
    );
    // Two failed polls: the first and a retry after its backoff both go through the logger.
    await until(async () => svc.output().split("getUpdates failed").length > 2, 10_000);
    await svc.kill("SIGTERM");
    const out = svc.output();
    expect(out).toContain("getUpdates failed");
    expect(out).not.toContain("SECRET-token");
    expect(out).not.toContain(token);
  });
});
