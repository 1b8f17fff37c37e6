import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spokenOgg } from "@ownerbot/testkit/audio";
import { startFakeOpenAi } from "@ownerbot/testkit/fake-openai";
import { ownerChat, startDemoWorld } from "@ownerbot/testkit/owner-chat";
import { isReplyTo, until, waitForCalls } from "@ownerbot/testkit/wait";
import { OWNER, type World } from "@ownerbot/testkit/world";
import { checkWorld, formatHistory, violated } from "@ownerbot/testkit/history";
import type { CallRecord } from "@ownerbot/testkit/fake-telegram";

// RELIABILITY E1: the transcription service stalls, then answers 500, then recovers. The voice is
// kept and answered once when it does, the owner is told once that it is late, /help sent after
// the voice does not wait for the service (promise 6), and nothing is sent twice.

const KEY = "sk-e2e-fault-key-77aa11bb22";
const PHRASE = "заказы за вчера";
const ORDER_WAIT_SEC = 2;
let fake: Awaited<ReturnType<typeof startFakeOpenAi>>;
let w: World;
let ogg: Buffer;

beforeAll(async () => {
  fake = await startFakeOpenAi({ apiKey: KEY });
  fake.asr.fallback(() => PHRASE);
  ogg = await spokenOgg(PHRASE);
  w = await startDemoWorld({
    asr: true,
    env: {
      ...fake.asrEnv,
      ASR_TIMEOUT_SEC: "1",
      ASR_ORDER_WAIT_SEC: String(ORDER_WAIT_SEC),
      ASR_BACKOFF_MAX_SEC: "1",
      JOB_BACKOFF_BASE_MS: "200",
      LOG_LEVEL: "info",
    },
  });
  // Every service is up before the clock of a test starts.
  await ownerChat(w.tg).ask("/start");
});
afterAll(async () => {
  await w?.close();
  await fake?.close();
});

const text = (c: CallRecord): string => (typeof c.params.text === "string" ? c.params.text : "");

/** The history is read once every reply row is marked sent (a call can be seen a moment before its mark). */
async function cleanHistory(): Promise<void> {
  await until(
    async () =>
      (await w.t.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM outbox WHERE status IN ('pending', 'claimed')")).rows[0]!.n ===
      0,
  );
  const report = await checkWorld(w, { owners: [OWNER], secrets: [KEY] });
  expect(violated(report, [1, 2, 3, 8, 9]), formatHistory(report)).toEqual([]);
}

describe("ASR stalls, fails, recovers", () => {
  it("answers the voice once when ASR returns; /help sent after it is answered meanwhile; one delay notice", async () => {
    fake.setFault({ mode: "stall", count: 2 });
    fake.setFault({ mode: "500", count: 3 });
    const since = w.tg.lastSeq();
    const voice = w.tg.pushVoice(OWNER, ogg);
    const helpAt = Date.now();
    w.tg.pushText(OWNER, "/help");

    const calls = await waitForCalls(w.tg, isReplyTo(OWNER), 5, { since, timeoutMs: 40_000 });
    const first = calls.map((c) => text(c).split("\n")[0]);
    expect(first).toEqual([
      "🎙 Распознаю…",
      expect.stringMatching(/^🎙 Распознавание задерживается/),
      expect.stringMatching(/^❓ Спрашивайте текстом или голосом/),
      `🎙 Распознал: «${PHRASE}»`,
      expect.stringMatching(/./),
    ]);
    const [status, late, help, shown, answer] = calls as [CallRecord, CallRecord, CallRecord, CallRecord, CallRecord];
    // The notice and the transcript edit the status message; the late answer quotes the voice.
    const statusId = (status.result as { message_id: number }).message_id;
    expect([late.method, late.params.message_id, shown.method, shown.params.message_id]).toEqual([
      "editMessageText",
      statusId,
      "editMessageText",
      statusId,
    ]);
    expect(answer.method).toBe("sendMessage");
    expect(answer.params.reply_parameters).toMatchObject({ message_id: voice.message!.message_id });
    // /help waited only the bounded order wait, not for the service.
    expect(help.at - helpAt).toBeLessThan((ORDER_WAIT_SEC + 3) * 1000);
    // The service was tried through the stall and the errors, and answered once.
    expect(fake.hits("/v1/audio/transcriptions")).toBeGreaterThanOrEqual(4);
    expect(fake.asr.received).toHaveLength(1);

    // Nothing more arrives: no second notice, no second answer.
    const settled = w.tg.lastSeq();
    w.tg.pushText(OWNER, "/help");
    await waitForCalls(w.tg, isReplyTo(OWNER), 1, { since: settled });
    const all = w.tg.calls(since).filter(isReplyTo(OWNER));
    expect(all.filter((c) => /задерживается/.test(text(c)))).toHaveLength(1);
    expect(all.filter((c) => text(c).startsWith("🎙 Распознал"))).toHaveLength(1);
    expect(all.filter((c) => text(c) === text(answer))).toHaveLength(1);

    await cleanHistory();
  });

  it("while ASR is down for good the voice waits; the owner still gets /start at once", async () => {
    fake.setFault({ mode: "500" });
    const since = w.tg.lastSeq();
    w.tg.pushVoice(OWNER, ogg);
    await waitForCalls(w.tg, (c) => isReplyTo(OWNER)(c) && /задерживается/.test(text(c)), 1, { since, timeoutMs: 20_000 });
    const t0 = Date.now();
    const startSeq = w.tg.lastSeq();
    w.tg.pushText(OWNER, "/start");
    const [home] = await waitForCalls(w.tg, isReplyTo(OWNER), 1, { since: startSeq });
    expect(text(home!)).toMatch(/Голос: распознаётся/);
    expect(text(home!)).toMatch(/голос 1/);
    expect(Date.now() - t0).toBeLessThan(2000);
    // Recovery: the voice is answered once, as a reply to it.
    fake.clearFaults();
    const done = await waitForCalls(w.tg, (c) => isReplyTo(OWNER)(c) && text(c).startsWith("🎙 Распознал"), 1, { since, timeoutMs: 20_000 });
    expect(done).toHaveLength(1);
    await cleanHistory();
  });
});
