import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFaultProxy, type FaultProxy } from "@ownerbot/testkit/fault-proxy";
import { OWNER, startWorld, type World } from "@ownerbot/testkit/world";
import { isReplyTo, sleep, until, waitForCalls } from "@ownerbot/testkit/wait";
import { checkWorld, formatHistory, violated } from "@ownerbot/testkit/history";

// RELIABILITY.md E3 and promise 11: Telegram unreachable for 60 s, then refusing the bot token (401)
// for 30 s, while the owner keeps writing. No reply may be given up: each is delivered once when
// Telegram is back, in the chat's order. The sender reaches Telegram through a proxy that can
// refuse connections; the ingress polls the fake directly, so updates keep arriving during the cut.

const OUTAGE_MS = 60_000;
const REFUSED_MS = 30_000;

let world: World;
let proxy: FaultProxy;
beforeAll(async () => {
  world = await startWorld({ JOB_BACKOFF_MAX_MS: "3000", SENDER_AUTH_PROBE_SEC: "1" });
  proxy = await startFaultProxy({ host: "127.0.0.1", port: world.tg.port });
  await world.stack.restart("sender", "SIGTERM", { TELEGRAM_API_ROOT: proxy.url(world.tg.apiRoot).replace(/\/$/, ""), LOG_LEVEL: "warn" });
});
afterAll(async () => {
  await world?.close();
  await proxy?.close();
});

describe("Telegram outage", () => {
  it("delivers every reply once, in order, after 60 s unreachable and 30 s of 401", { timeout: 240_000 }, async () => {
    const { tg, t, stack } = world;
    const since = tg.lastSeq();
    tg.pushText(OWNER, "/help");
    await waitForCalls(tg, isReplyTo(OWNER), 1, { since });
    // Cut only once the sender has Telegram's answer: a reply whose answer is lost on the wire
    // is sent again (Telegram has no idempotency key), and that is not what this test is about.
    const settled = async () => (await t.pool.query("SELECT 1 FROM outbox WHERE status IN ('pending', 'claimed')")).rowCount === 0;
    await until(settled);

    const pushed: number[] = [];
    const feed = async (ms: number): Promise<void> => {
      for (const end = Date.now() + ms; Date.now() < end;) {
        pushed.push(tg.pushText(OWNER, pushed.length % 2 ? "/help" : "/start").update_id);
        await sleep(2500);
      }
    };
    proxy.cut();
    await feed(OUTAGE_MS);
    proxy.restore();
    tg.setFault({ method: "*", kind: "401" });
    await feed(REFUSED_MS);
    tg.clearFaults();

    await waitForCalls(tg, isReplyTo(OWNER), pushed.length + 1, { since, timeoutMs: 60_000 }).catch((err: unknown) => {
      throw new Error(`${String(err)}; the sender said:\n${stack.sender.output().slice(-3000)}`);
    });
    await until(settled);
    const { rows } = await t.pool.query<{ status: string; n: number }>(
      `SELECT o.status, count(*)::int AS n FROM inbox i JOIN outbox o ON o.cause = 'upd:' || i.id
       WHERE i.update_id = ANY($1::bigint[]) AND o.method = 'sendMessage' GROUP BY o.status`,
      [pushed],
    );
    expect(rows).toEqual([{ status: "sent", n: pushed.length }]);
    // Delivered in the order the owner wrote: Telegram's message ids grow with the inbox ids.
    const { rows: order } = await t.pool.query<{ m: number }>(
      `SELECT o.telegram_message_id::float8 AS m FROM inbox i JOIN outbox o ON o.cause = 'upd:' || i.id
       WHERE i.update_id = ANY($1::bigint[]) AND o.method = 'sendMessage' ORDER BY i.id`,
      [pushed],
    );
    const ids = order.map((r) => r.m);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(stack.sender.output()).toContain("refuses the bot token");
    expect(stack.sender.output()).toContain("sending resumed");
    const report = await checkWorld(world, { owners: [OWNER] });
    expect(violated(report, [1, 2, 3, 8, 9]), formatHistory(report)).toEqual([]);
  });
});
