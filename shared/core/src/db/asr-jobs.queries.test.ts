import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestEnv, type TestEnv } from "@ownerbot/testkit/harness";
import { claimChat, insertBatchAndAdvance } from "./inbox.queries.ts";
import { finishIntent } from "./outbox.queries.ts";
import { asrResultOf, claimAsrJob, finishAsrJob, voiceReplies } from "./asr-jobs.queries.ts";
import { chatClaimable, INBOX, rowState } from "./leased.queries.ts";

// The hand-over between worker-intent and worker-asr against real Postgres, including the one race
// that could strand a voice: a park decided while its transcript is being recorded.

let t: TestEnv;
beforeAll(async () => {
  t = await createTestEnv();
});
afterAll(async () => t.close());

const FILE = { kind: "voice", fileId: "F1", fileUniqueId: "U1", messageId: 7, duration: 2 };
let updateId = 100;

/** A voice and a text after it in chat `chat`, both claimed by `claimer`. */
async function voiceThenText(chat: number, claimer: string): Promise<[number, number]> {
  const rows = [0, 1].map((i) => ({
    updateId: ++updateId,
    chatId: chat,
    userId: chat,
    kind: i === 0 ? "voice" : "text",
    payload: { n: updateId },
  }));
  await insertBatchAndAdvance(t.pool, 1, rows, updateId + 1, { windowSec: 60, text: "busy" });
  const claimed = await claimChat(t.pool, chat, claimer, 30, 10);
  return [claimed[0]!.id, claimed[1]!.id];
}

/** What the drain does with the rows behind a held voice: hands them back untried. */
const handBack = (id: number) => t.pool.query("UPDATE inbox SET status = 'new', claimed_by = NULL, lease_until = NULL WHERE id = $1", [id]);

const status = async (id: number): Promise<string> =>
  (await t.pool.query<{ status: string }>("SELECT status FROM inbox WHERE id = $1", [id])).rows[0]!.status;
const reply = (cause: string, text: string, chatId: number) => ({
  cause,
  seq: 0,
  chatId,
  method: "sendMessage",
  payload: { chat_id: chatId, text },
});

describe("voice hand-over", () => {
  it("a held voice keeps its chat waiting; worker-asr's finish wakes it", async () => {
    const [voice, text] = await voiceThenText(51, "i:1");
    const fin = await finishIntent(t.pool, {
      claimer: "i:1",
      doneIds: [],
      deadIds: [],
      outbox: [reply(`upd:${voice}`, "🎙 Распознаю…", 51)],
      tokens: [],
      audits: [],
      holds: [{ id: voice, notBeforeMs: Date.now() + 60_000, park: false }],
      asr: [{ id: voice, chatId: 51, file: FILE }],
    });
    expect(fin.fenced).toBe(true);
    expect(fin.asr).toEqual([{ id: voice, chatId: 51 }]);
    // The text was not part of the finish; handed back untried, it waits behind the voice.
    await handBack(text);
    expect(await chatClaimable(t.pool, INBOX, 51)).toBe(false);
    expect((await rowState(t.pool, INBOX, text)).kind).toBe("backoff");
    expect(await asrResultOf(t.pool, voice)).toEqual({ status: "open", attempts: 0 });

    const job = await claimAsrJob(t.pool, 51, "a:1", 30);
    expect(job).toMatchObject({ id: voice, chatId: 51, file: FILE, attempts: 1 });
    const done = await finishAsrJob(t.pool, voice, "a:1", { status: "done", transcript: "выручка за неделю", audioSeconds: 1.5 });
    expect(done).toEqual({ fenced: true, woke: { id: voice, chatId: 51 } });
    expect(await chatClaimable(t.pool, INBOX, 51)).toBe(true);
    expect(await asrResultOf(t.pool, voice)).toEqual({ status: "done", transcript: "выручка за неделю", audioSeconds: 1.5 });
    // A second finish (a retried job) is fenced out.
    expect((await finishAsrJob(t.pool, voice, "a:1", { status: "done", transcript: "x", audioSeconds: 1 })).fenced).toBe(false);
  });

  it("a park lets the chat go on, writes the late notice once, and is woken as new", async () => {
    const [voice, behind] = await voiceThenText(52, "i:2");
    await handBack(behind);
    await finishIntent(t.pool, {
      claimer: "i:2",
      doneIds: [],
      deadIds: [],
      outbox: [],
      tokens: [],
      audits: [],
      holds: [{ id: voice, notBeforeMs: 0, park: false }],
      asr: [{ id: voice, chatId: 52, file: FILE }],
    });
    const [again, text] = await claimChat(t.pool, 52, "i:3", 30, 10);
    expect([again!.id, again!.attempts]).toEqual([voice, 1]);
    const fin = await finishIntent(t.pool, {
      claimer: "i:3",
      doneIds: [text!.id],
      deadIds: [],
      outbox: [{ ...reply(`upd:${voice}:late`, "late", 52), onlyIfParked: voice }, reply(`upd:${text!.id}`, "help", 52)],
      tokens: [],
      audits: [],
      holds: [{ id: voice, notBeforeMs: Date.now() + 3600_000, park: true }],
    });
    expect([fin.outbox.length, fin.reopened]).toEqual([2, []]);
    expect(await status(voice)).toBe("parked");
    expect(await voiceReplies(t.pool, voice)).toEqual({ statusMessageId: null, toldLate: true });
    expect((await rowState(t.pool, INBOX, voice)).kind).toBe("backoff");
    await claimAsrJob(t.pool, 52, "a:2", 30);
    expect((await finishAsrJob(t.pool, voice, "a:2", { status: "refused", reason: "silence", error: "quiet" })).woke).toEqual({
      id: voice,
      chatId: 52,
    });
    expect(await status(voice)).toBe("new");
  });

  it("a park decided while the transcript is being recorded comes back new, without the late notice", async () => {
    const [voice, behind] = await voiceThenText(53, "i:4");
    await handBack(behind);
    await finishIntent(t.pool, {
      claimer: "i:4",
      doneIds: [],
      deadIds: [],
      outbox: [],
      tokens: [],
      audits: [],
      holds: [{ id: voice, notBeforeMs: 0, park: false }],
      asr: [{ id: voice, chatId: 53, file: FILE }],
    });
    const [, next] = await claimChat(t.pool, 53, "i:5", 30, 10);
    await claimAsrJob(t.pool, 53, "a:3", 30);
    // worker-asr's finish is in flight: the asr row is locked and done, not yet committed.
    const c = await t.pool.connect();
    await c.query("BEGIN");
    await c.query("UPDATE asr_jobs SET status = 'done', transcript = 'x' WHERE id = $1", [voice]);
    const parking = finishIntent(t.pool, {
      claimer: "i:5",
      doneIds: [next!.id],
      deadIds: [],
      outbox: [{ ...reply(`upd:${voice}:late`, "late", 53), onlyIfParked: voice }],
      tokens: [],
      audits: [],
      holds: [{ id: voice, notBeforeMs: Date.now() + 3600_000, park: true }],
    });
    await new Promise((r) => setTimeout(r, 200));
    // Its second statement finds the voice still claimed by the intent worker: nothing to wake.
    const woke = await c.query("UPDATE inbox SET status = 'new' WHERE id = $1 AND status IN ('new', 'parked') RETURNING id", [voice]);
    await c.query("COMMIT");
    c.release();
    expect(woke.rowCount).toBe(0);
    const fin = await parking;
    expect(fin.reopened).toEqual([voice]);
    expect(fin.outbox).toEqual([]);
    expect(await status(voice)).toBe("new");
    expect(await chatClaimable(t.pool, INBOX, 53)).toBe(true);
  });
});
