import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spokenPhrase, toneAudio, videoNote } from "@ownerbot/testkit/audio";
import { startFakeOpenAi } from "@ownerbot/testkit/fake-openai";
import { startDemoWorld, ownerChat } from "@ownerbot/testkit/owner-chat";
import { isReplyTo, until, waitForCalls } from "@ownerbot/testkit/wait";
import { OWNER, type World } from "@ownerbot/testkit/world";
import { checkWorld, formatHistory, violated } from "@ownerbot/testkit/history";
import type { CallRecord } from "@ownerbot/testkit/fake-telegram";
import { freePorts, httpGet, sample, untilAnswer } from "@ownerbot/testkit/ops";

// The real voice path: a Russian phrase spoken by espeak-ng, encoded to OGG/Opus, pushed as a voice
// note through the fake Bot API; worker-asr fetches it with getFile, converts it with real ffmpeg
// and sends it to the fake OpenAI-compatible server, which checks the WAV; the owner gets the
// answer to that text, as if typed.

const KEY = "sk-e2e-voice-key-4d6f1a2b3c";
const PHRASE = "выручка за неделю";
let fake: Awaited<ReturnType<typeof startFakeOpenAi>>;
let w: World;
let phrase: { ogg: Buffer; seconds: number };
let metricsPort: number;

beforeAll(async () => {
  fake = await startFakeOpenAi({ apiKey: KEY });
  phrase = await spokenPhrase(PHRASE);
  w = await startDemoWorld({
    asr: true,
    env: {
      ...fake.asrEnv,
      LOG_LEVEL: "info",
    },
  });
  // worker-asr alone gets a metrics port (every process of a world shares the env).
  [metricsPort] = (await freePorts(1)) as [number];
  await w.stack.restart("worker-asr", "SIGTERM", { METRICS_PORT: String(metricsPort) });
  await untilAnswer(`http://127.0.0.1:${metricsPort}/readyz`, (r) => r.status === 200);
});
afterAll(async () => {
  await w?.close();
  await fake?.close();
});

const text = (c: CallRecord): string => (typeof c.params.text === "string" ? c.params.text : "");

describe("voice, end to end", () => {
  it("answers a spoken phrase exactly as the same phrase typed", async () => {
    const since = w.tg.lastSeq();
    const voice = w.tg.pushVoice(OWNER, phrase.ogg);
    const [status] = await waitForCalls(w.tg, (c) => isReplyTo(OWNER)(c) && text(c) === "🎙 Распознаю…", 1, { since });
    const [shown, answer] = await waitForCalls(w.tg, isReplyTo(OWNER), 3, { since }).then((cs) => cs.slice(1));
    expect(shown!.method).toBe("editMessageText");
    expect(shown!.params.message_id).toBe((status!.result as { message_id: number }).message_id);
    expect(text(shown!)).toBe(`🎙 Распознал: «${PHRASE}»`);

    // What the transcription server got: one valid 16 kHz mono WAV as long as what espeak-ng said.
    expect(fake.asr.rejected).toEqual([]);
    expect(fake.asr.received).toHaveLength(1);
    const got = fake.asr.received[0]!;
    expect(got).toMatchObject({ model: "whisper-large-v3", language: "ru", sampleRate: 16_000, channels: 1 });
    expect(Math.abs(got.seconds - phrase.seconds)).toBeLessThan(0.1);

    // The answer is the typed phrase's answer (a read tool on the demo shop), not a fallback.
    const typed = await ownerChat(w.tg).ask(PHRASE);
    // Read a few seconds apart, the two answers may differ only in the minute of their as_of.
    const noClock = (s: string): string => s.replace(/ \| ⏱ на [^|\n]+/u, "");
    expect(text(answer!)).toMatch(/\| ⏱ на /u);
    expect(noClock(text(answer!))).toBe(noClock(typed.text));
    expect(text(answer!)).toMatch(/Выручка|выручка/);
    expect(answer!.params.reply_parameters).toBeUndefined();
    expect(voice.message?.voice).toBeDefined();
  });

  it("keeps the chat's order: a text sent right after a voice is answered after the voice", async () => {
    const since = w.tg.lastSeq();
    w.tg.pushVoice(OWNER, phrase.ogg);
    w.tg.pushText(OWNER, "/help");
    const calls = await waitForCalls(w.tg, isReplyTo(OWNER), 4, { since });
    expect(calls.map((c) => text(c).split("\n")[0])).toEqual([
      "🎙 Распознаю…",
      `🎙 Распознал: «${PHRASE}»`,
      expect.stringMatching(/./),
      expect.stringMatching(/^❓ Спрашивайте текстом или голосом/),
    ]);
    expect(fake.asr.received).toHaveLength(2);
  });

  it("answers a forwarded voice (same file_unique_id) from the cache, without transcribing it again", async () => {
    const first = w.tg.messages(OWNER).find((m) => m.voice !== undefined)!;
    const since = w.tg.lastSeq();
    w.tg.pushUpdate({
      message: { message_id: 900_001, date: Math.floor(Date.now() / 1000), chat: first.chat, from: first.from, voice: first.voice },
    });
    const calls = await waitForCalls(w.tg, isReplyTo(OWNER), 3, { since });
    expect(text(calls[1]!)).toBe(`🎙 Распознал: «${PHRASE}»`);
    expect(fake.asr.received).toHaveLength(2);
  });

  it("transcribes a browser recording (WebM audio file), an MP3 audio file and a video note too", async () => {
    const files: [string, Buffer, Parameters<typeof w.tg.pushVoice>[2]][] = [
      ["webm", await toneAudio(2, { format: "webm" }), { asDocument: true, fileName: "voice.webm", mimeType: "audio/webm" }],
      ["mp3", await toneAudio(2, { format: "mp3" }), { as: "audio", fileName: "note.mp3", duration: 2 }],
      ["video note", await videoNote(2), { as: "video_note", duration: 2 }],
    ];
    for (const [name, bytes, opts] of files) {
      fake.asr.script(`это ${name}`);
      const since = w.tg.lastSeq();
      w.tg.pushVoice(OWNER, bytes, opts);
      const calls = await waitForCalls(w.tg, (c) => isReplyTo(OWNER)(c) && text(c).startsWith("🎙 Распознал"), 1, { since });
      expect(text(calls[0]!), name).toBe(`🎙 Распознал: «это ${name}»`);
      expect(Math.abs(fake.asr.received.at(-1)!.seconds - 2)).toBeLessThan(0.1);
    }
  });

  it("logs and counts audio seconds, stage times and outcomes, never the key; the history is clean", async () => {
    const m = (await httpGet(`http://127.0.0.1:${metricsPort}/metrics`)).text;
    expect(sample(m, "ownerbot_asr_voices_total", { status: "done", reason: "none" })).toBeGreaterThanOrEqual(6);
    expect(sample(m, "ownerbot_asr_audio_seconds_count")).toBeGreaterThanOrEqual(5);
    expect(sample(m, "ownerbot_asr_stage_seconds_count", { stage: "transcribe", result: "ok" })).toBeGreaterThanOrEqual(5);
    expect(sample(m, "ownerbot_telegram_requests_total", { method: "getFile", result: "ok" })).toBeGreaterThanOrEqual(5);
    expect(m).not.toContain(KEY);
    const logs = w.stack.logs();
    expect(logs).toMatch(/"audio_seconds":\d/);
    expect(logs).toMatch(/"convert_ms":\d+/);
    expect(logs).toMatch(/"transcribe_ms":\d+/);
    await until(
      async () =>
        (await w.t.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM outbox WHERE status IN ('pending', 'claimed')")).rows[0]!.n ===
        0,
    );
    const report = await checkWorld(w, { owners: [OWNER], secrets: [KEY] });
    expect(violated(report, [1, 2, 3, 8, 9]), formatHistory(report)).toEqual([]);
  });
});
