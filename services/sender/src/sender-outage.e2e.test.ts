import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { insertOutboxRow } from "@ownerbot/core/db";
import { startFakeTelegram, type FakeTelegram } from "@ownerbot/testkit/fake-telegram";
import { startFaultProxy, type FaultProxy } from "@ownerbot/testkit/fault-proxy";
import { createTestEnv, type TestEnv } from "@ownerbot/testkit/harness";
import { startService, type ServiceHandle } from "@ownerbot/testkit/services";
import { sleep, until, waitForCalls } from "@ownerbot/testkit/wait";

// Postgres goes away while Telegram is taking a reply: the sender cannot record it as sent, its
// lease runs out meanwhile, and the sweeper hands the row out again once Postgres is back. The
// reply must still reach the chat once.

const CHAT = 1001;
let t: TestEnv;
let tg: FakeTelegram;
let proxy: FaultProxy;
let sender: ServiceHandle;

beforeAll(async () => {
  t = await createTestEnv();
  tg = await startFakeTelegram({ chats: [CHAT] });
  const target = new URL(t.dbUrl);
  proxy = await startFaultProxy({ host: target.hostname, port: Number(target.port || 5432) });
  sender = startService(
    "sender",
    t.env({
      TELEGRAM_API_ROOT: tg.apiRoot,
      DATABASE_URL: proxy.url(t.dbUrl),
      LEASE_SEC: "1",
      SWEEP_INTERVAL_MS: "200",
      SWEEP_STALE_MS: "200",
    }),
  );
  // The sender is listening once an unrelated reply goes through.
  await insertOutboxRow(t.pool, {
    cause: "warm-up",
    seq: 0,
    chatId: CHAT,
    method: "sendMessage",
    payload: { chat_id: CHAT, text: "старт" },
  });
  await waitForCalls(tg, (c) => c.ok && c.method === "sendMessage", 1, { timeoutMs: 20_000 });
});
afterAll(async () => {
  await sender?.kill();
  await proxy?.close();
  await tg?.close();
  await t?.close();
});

describe("sender during a Postgres outage", () => {
  it("records a reply Telegram took while Postgres was gone instead of sending it again", async () => {
    const since = tg.lastSeq();
    tg.setFault({ method: "sendMessage", kind: "slow", delayMs: 1500, count: 1 });
    const id = await insertOutboxRow(t.pool, {
      cause: "outage",
      seq: 0,
      chatId: CHAT,
      method: "sendMessage",
      payload: { chat_id: CHAT, text: "одно сообщение" },
    });
    // The send is in flight (held 1.5 s by the fake) when Postgres disappears for longer than the lease.
    await sleep(500);
    proxy.cut();
    await waitForCalls(tg, (c) => c.method === "sendMessage", 1, { since, timeoutMs: 5000 });
    await sleep(2500);
    proxy.restore();
    await until(async () => {
      const { rows } = await t.pool.query<{ status: string }>("SELECT status FROM outbox WHERE id = $1", [id]);
      return rows[0]?.status === "sent";
    }, 20_000);
    // Room for a wrong second send by the sweeper's job.
    await sleep(1500);
    const sends = tg.calls(since).filter((c) => c.ok && c.method === "sendMessage");
    expect(sends.map((c) => c.params.text)).toEqual(["одно сообщение"]);
    const { rows } = await t.pool.query<{ telegram_message_id: number }>("SELECT telegram_message_id::int FROM outbox WHERE id = $1", [id]);
    expect(rows[0]!.telegram_message_id).toBe((sends[0]!.result as { message_id: number }).message_id);
  });
});
