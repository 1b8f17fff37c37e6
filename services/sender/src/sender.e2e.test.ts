import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeTelegram, type FakeTelegram } from "@ownerbot/testkit/fake-telegram";
import { createTestEnv, type TestEnv } from "@ownerbot/testkit/harness";
import { startService, type ServiceHandle } from "@ownerbot/testkit/services";
import { addRowJobs, closeQueues, createQueues, type Queues } from "@ownerbot/core/queue";
import { sleep, until, waitForCalls } from "@ownerbot/testkit/wait";

const CHAT = 1001;
let t: TestEnv;
let tg: FakeTelegram;
let sender: ServiceHandle;
let queues: Queues;
let cause = 0;

beforeAll(async () => {
  t = await createTestEnv();
  tg = await startFakeTelegram({ chats: [CHAT] });
  // Three attempts and no retry window: a reply is given up after its third failure.
  sender = startService(
    "sender",
    t.env({ TELEGRAM_API_ROOT: tg.apiRoot, SENDER_MAX_ATTEMPTS: "3", SENDER_RETRY_WINDOW_SEC: "0", JOB_BACKOFF_BASE_MS: "200" }),
  );
  queues = createQueues(t.redisUrl, t.prefix);
  await queues.send.waitUntilReady();
});
afterAll(async () => {
  await sender?.kill();
  await closeQueues(queues);
  await tg?.close();
  await t?.close();
});

/** Writes replies the way the intent worker does and adds their jobs. */
async function queueReplies(rows: { method: string; payload: Record<string, unknown> }[]): Promise<number[]> {
  cause++;
  const ids: number[] = [];
  for (const [seq, r] of rows.entries()) {
    const { rows: out } = await t.pool.query<{ id: number }>(
      "INSERT INTO outbox (cause, seq, chat_id, method, payload) VALUES ($1, $2, $3, $4, $5) RETURNING id",
      [`test:${cause}`, seq, CHAT, r.method, JSON.stringify(r.payload)],
    );
    ids.push(out[0]!.id);
  }
  await addRowJobs(
    queues,
    "send",
    ids.map((id) => ({ chatId: CHAT, id })),
  );
  return ids;
}

async function statusOf(ids: number[]): Promise<string[]> {
  const { rows } = await t.pool.query<{ status: string }>("SELECT status FROM outbox WHERE id = ANY($1::bigint[]) ORDER BY id", [ids]);
  return rows.map((r) => r.status);
}

const msg = (text: string) => ({ method: "sendMessage", payload: { chat_id: CHAT, text } });
const sends = (c: { method: string; ok: boolean }) => c.ok && c.method === "sendMessage";
/** Until no reply of `ids` is still pending or being sent: the sender records each just after Telegram answers. */
const settled = (ids: number[]): Promise<void> =>
  until(async () => (await statusOf(ids)).every((st) => st !== "pending" && st !== "claimed"), 10_000);

describe("sender", () => {
  it("delivers a chat's replies in order and records Telegram's message ids", async () => {
    const since = tg.lastSeq();
    const ids = await queueReplies([msg("один"), msg("два"), msg("три")]);
    const calls = await waitForCalls(tg, sends, 3, { since });
    expect(calls.map((c) => c.params.text)).toEqual(["один", "два", "три"]);
    await settled(ids);
    const { rows } = await t.pool.query<{ telegram_message_id: number }>(
      "SELECT telegram_message_id FROM outbox WHERE id = ANY($1::bigint[]) ORDER BY id",
      [ids],
    );
    expect(rows.map((r) => r.telegram_message_id)).toEqual(calls.map((c) => (c.result as { message_id: number }).message_id));
  });

  it("waits exactly Telegram's retry_after on 429 and sends once", async () => {
    const since = tg.lastSeq();
    tg.setFault({ method: "sendMessage", kind: "429", retryAfter: 2, count: 1 });
    const started = Date.now();
    const ids = await queueReplies([msg("после паузы")]);
    const [ok] = await waitForCalls(tg, sends, 1, { since, timeoutMs: 15_000 });
    expect(ok!.at - started).toBeGreaterThanOrEqual(2000);
    expect(ok!.at - started).toBeLessThan(6000);
    await sleep(300); // room for a wrong second send to show up
    expect(tg.calls(since).filter(sends)).toHaveLength(1);
    expect(await statusOf(ids)).toEqual(["sent"]);
  });

  it("retries 5xx answers and gives up after the last attempt without blocking the chat", async () => {
    const since = tg.lastSeq();
    tg.setFault({ method: "sendMessage", kind: "5xx", count: 3 });
    const ids = await queueReplies([msg("не дойдёт"), msg("следующее")]);
    const [next] = await waitForCalls(tg, sends, 1, { since, timeoutMs: 30_000 });
    expect(next!.params.text).toBe("следующее");
    await settled(ids);
    expect(await statusOf(ids)).toEqual(["dead", "sent"]);
    // Each job ends as its row did: the dead reply's job failed with the row's last error.
    const dead = await queues.send.getJob(`out-${ids[0]}`);
    expect(await dead?.getState()).toBe("failed");
    const { rows } = await t.pool.query<{ last_error: string }>("SELECT last_error FROM outbox WHERE id = $1", [ids[0]]);
    expect(dead?.failedReason).toBe(rows[0]!.last_error);
    expect(dead?.attemptsMade).toBeGreaterThanOrEqual(2);
    expect(await (await queues.send.getJob(`out-${ids[1]}`))?.getState()).toBe("completed");
  });

  it("charges an attempt only to the reply that was tried, not to the ones waiting behind it", async () => {
    // SENDER_MAX_ATTEMPTS is 3: the first reply dies after three real 502s; the fourth 502 hits the
    // second reply on its first try. Claims used to charge the whole batch, which killed it there.
    const since = tg.lastSeq();
    tg.setFault({ method: "sendMessage", kind: "5xx", count: 4 });
    const ids = await queueReplies([msg("первое"), msg("второе"), msg("третье"), msg("четвёртое")]);
    await waitForCalls(tg, sends, 3, { since, timeoutMs: 40_000 });
    await sleep(500); // room for a wrong fourth send to show up
    expect(
      tg
        .calls(since)
        .filter(sends)
        .map((c) => c.params.text),
    ).toEqual(["второе", "третье", "четвёртое"]);
    expect(tg.calls(since).filter((c) => c.method === "sendMessage" && !c.ok)).toHaveLength(4);
    expect(await statusOf(ids)).toEqual(["dead", "sent", "sent", "sent"]);
  });

  it("turns an edit of a missing message into a new message, and treats an unchanged edit as done", async () => {
    const since = tg.lastSeq();
    const ids = await queueReplies([{ method: "editMessageText", payload: { chat_id: CHAT, message_id: 999_999, text: "меню" } }]);
    const [sent] = await waitForCalls(tg, sends, 1, { since });
    expect(sent!.params.text).toBe("меню");
    const messageId = (sent!.result as { message_id: number }).message_id;
    await settled(ids);
    expect(await statusOf(ids)).toEqual(["sent"]);
    const again = await queueReplies([{ method: "editMessageText", payload: { chat_id: CHAT, message_id: messageId, text: "меню" } }]);
    await waitForCalls(tg, (c) => c.method === "editMessageText" && !c.ok, 1, { since });
    await settled(again);
    expect(await statusOf(again)).toEqual(["sent"]);
  });

  it("does not retry a permanent refusal", async () => {
    const since = tg.lastSeq();
    const ids = await queueReplies([{ method: "sendMessage", payload: { chat_id: 424242, text: "в никуда" } }]);
    await waitForCalls(tg, (c) => c.method === "sendMessage" && !c.ok, 1, { since });
    await sleep(500); // room for a wrong retry to show up
    expect(tg.calls(since).filter((c) => c.method === "sendMessage")).toHaveLength(1);
    expect(await statusOf(ids)).toEqual(["failed"]);
  });
});
