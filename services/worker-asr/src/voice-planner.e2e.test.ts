import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spokenPhrase } from "@ownerbot/testkit/audio";
import { intentAnswer, startFakeOpenAi } from "@ownerbot/testkit/fake-openai";
import { startDemoWorld } from "@ownerbot/testkit/owner-chat";
import { isReplyTo, waitForCalls } from "@ownerbot/testkit/wait";
import { OWNER, type World } from "@ownerbot/testkit/world";
import type { CallRecord } from "@ownerbot/testkit/fake-telegram";

// A spoken phrase no rule matches goes to the LLM planner exactly as the same phrase typed: espeak-ng
// says it, worker-asr converts it with real ffmpeg and transcribes it on the fake OpenAI-compatible
// server, and the same server's chat completions plan it. With the planner off the owner gets the
// rules' honest «не понял» with a hint.

const KEY = "sk-e2e-voice-llm-key-7e6d5c4b3a";
const PHRASE = "как поживает мой магазинчик";
let fake: Awaited<ReturnType<typeof startFakeOpenAi>>;
let w: World;
let spoken: Buffer;

beforeAll(async () => {
  fake = await startFakeOpenAi({ apiKey: KEY });
  spoken = (await spokenPhrase(PHRASE)).ogg;
  fake.asr.fallback(() => PHRASE);
  w = await startDemoWorld({
    asr: true,
    env: {
      ...fake.asrEnv,
      LLM_PROVIDER: "OPENAI",
      OPENAI_LLM_MODEL: "planner-test",
      LLM_TIMEOUT_SECONDS: "5",
      LLM_ORDER_WAIT_SEC: "10",
    },
  });
});
afterAll(async () => {
  await w?.close();
  await fake?.close();
});

const text = (c: CallRecord): string => (typeof c.params.text === "string" ? c.params.text : "");
const messageId = (c: CallRecord): number => (c.result as { message_id: number }).message_id;

async function audits(type: string): Promise<Record<string, unknown>[]> {
  const { rows } = await w.t.pool.query<{ payload: Record<string, unknown> }>(
    "SELECT payload FROM audit_events WHERE event_type = $1 ORDER BY id",
    [type],
  );
  return rows.map((r) => r.payload);
}

describe("a voice no rule understands", () => {
  it("goes to the planner like typed text: «Думаю…» under the transcript, the read tool's answer, the chat in order", async () => {
    fake.chat.answer(intentAnswer({ tool: "inventory_status", payload: {} }));
    const since = w.tg.lastSeq();
    w.tg.pushVoice(OWNER, spoken);
    // A text right behind the voice waits for the voice's answer.
    w.tg.pushText(OWNER, "/help");
    const calls = await waitForCalls(w.tg, isReplyTo(OWNER), 5, { since, timeoutMs: 40_000 });
    const [status, shown, thinking, answer, help] = calls;
    expect(text(status!)).toBe("🎙 Распознаю…");
    expect(shown!.method).toBe("editMessageText");
    expect(shown!.params.message_id).toBe(messageId(status!));
    expect(text(shown!)).toBe(`🎙 Распознал: «${PHRASE}»`);
    expect(thinking!.method).toBe("sendMessage");
    expect(text(thinking!)).toBe("🤔 Думаю…");
    expect(answer!.method).toBe("editMessageText");
    expect(answer!.params.message_id).toBe(messageId(thinking!));
    expect(text(answer!)).not.toMatch(/Не понял/);
    expect(text(answer!)).toMatch(/склад|Склад|остат|Остат/);
    expect(text(answer!)).toMatch(/🧭 Качество: /);
    expect(text(help!)).toMatch(/^❓ Спрашивайте текстом или голосом/);

    // The model got the transcript as the owner's words; the planned tool ran as asked by the LLM.
    expect(fake.asr.received).toHaveLength(1);
    expect(fake.chat.received).toHaveLength(1);
    expect(fake.chat.received[0]!.user).toBe(PHRASE);
    expect(await audits("voice_transcribed")).toHaveLength(1);
    expect(await audits("llm_intent_planned")).toEqual([expect.objectContaining({ tool: "inventory_status", action: false })]);
    expect(await audits("intent_unknown")).toEqual([]);
    const { rows } = await w.t.pool.query<{ status: string }>("SELECT status FROM llm_jobs");
    expect(rows).toEqual([{ status: "done" }]);
  });

  it("a late plan: the «Думаю…» under the transcript says so once, the chat goes on, the answer comes after", async () => {
    await w.stack.restart("worker-intent", "SIGTERM", { LLM_ORDER_WAIT_SEC: "1", LLM_TIMEOUT_SECONDS: "2", LLM_MAX_ATTEMPTS: "2" });
    fake.setFault({ mode: "stall", count: 1, path: "/v1/chat/completions" });
    fake.chat.answer(intentAnswer({ tool: "inventory_status", payload: {} }));
    const since = w.tg.lastSeq();
    w.tg.pushVoice(OWNER, spoken);
    const [, , thinking, late] = await waitForCalls(w.tg, isReplyTo(OWNER), 4, { since, timeoutMs: 40_000 });
    expect(text(thinking!)).toBe("🤔 Думаю…");
    expect(late!.params.message_id).toBe(messageId(thinking!));
    expect(text(late!)).toMatch(/^🤔 Думаю дольше обычного/);
    // The chat is not held while the plan is late.
    const s2 = w.tg.lastSeq();
    w.tg.pushText(OWNER, "/help");
    const [help] = await waitForCalls(w.tg, isReplyTo(OWNER), 1, { since: s2, timeoutMs: 10_000 });
    expect(text(help!)).toMatch(/^❓ Спрашивайте текстом или голосом/);
    const planned = (c: CallRecord): boolean => isReplyTo(OWNER)(c) && /🧭 Качество: /.test(text(c));
    const [answer] = await waitForCalls(w.tg, planned, 1, { since: s2, timeoutMs: 20_000 });
    expect(text(answer!)).toMatch(/склад|Склад|остат|Остат/);
    expect(text(answer!)).not.toMatch(/Не понял/);
    expect(w.tg.calls(since).filter((c) => /Думаю дольше/.test(text(c)))).toHaveLength(1);
    // Each visit wrote its own replies: the voice's status, its transcript with «Думаю…», the planner's notice and answer.
    const { rows } = await w.t.pool.query<{ cause: string }>(
      `SELECT DISTINCT regexp_replace(o.cause, '^upd:[0-9]+', 'upd:N') AS cause FROM outbox o, (SELECT max(id) AS id FROM llm_jobs) l
       WHERE o.cause = 'upd:' || l.id OR o.cause LIKE 'upd:' || l.id || ':%' ORDER BY 1`,
    );
    expect(rows.map((r) => r.cause)).toEqual(["upd:N", "upd:N:asr", "upd:N:asr:late", "upd:N:asr:llm"]);
  });

  it("with the planner off gets the honest «не понял» with a hint, and the model is not asked", async () => {
    await w.stack.restart("worker-intent", "SIGTERM", { LLM_PROVIDER: "OFF" });
    const asked = fake.chat.received.length;
    const unknown = (await audits("intent_unknown")).length;
    const since = w.tg.lastSeq();
    w.tg.pushVoice(OWNER, spoken);
    const [, shown, answer] = await waitForCalls(w.tg, isReplyTo(OWNER), 3, { since, timeoutMs: 40_000 });
    expect(text(shown!)).toBe(`🎙 Распознал: «${PHRASE}»`);
    expect(answer!.method).toBe("sendMessage");
    expect(text(answer!)).toMatch(/^🤔 Не понял запрос\. Попробуйте, например:\n• выручка за неделю/);
    expect(JSON.stringify(answer!.params.reply_markup)).toContain("Помощь");
    expect(fake.chat.received).toHaveLength(asked);
    expect(await audits("intent_unknown")).toHaveLength(unknown + 1);
  });
});
