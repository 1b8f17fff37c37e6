import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeOpenAi } from "@ownerbot/testkit/fake-openai";
import { createAsrGuard, AsrUnavailable } from "./guard.ts";
import { openAiTranscriber, TranscriberError } from "./transcriber.ts";
import { SAMPLE_RATE } from "./ffmpeg.ts";
import { wavOf } from "./wav.ts";

// The OpenAI-compatible client against the fake server over real HTTP, and the guard around it.

const KEY = "sk-test-secret-key-0123456789";
let fake: Awaited<ReturnType<typeof startFakeOpenAi>>;
beforeAll(async () => {
  fake = await startFakeOpenAi({ apiKey: KEY });
});
afterAll(() => fake.close());

/** One second of a quiet tone: a valid 16 kHz mono WAV. */
function wav(seconds = 1, rate = SAMPLE_RATE): Buffer {
  const pcm = Buffer.alloc(Math.round(seconds * rate) * 2);
  for (let i = 0; i < pcm.length / 2; i++) pcm.writeInt16LE(Math.round(3000 * Math.sin(i / 5)), i * 2);
  return wavOf(pcm, rate);
}

const client = (timeoutMs = 2000, key = KEY) =>
  openAiTranscriber({ baseUrl: fake.url, apiKey: key, model: "whisper-1", timeoutMs, language: "ru", prompt: "KPI" });

async function failure(p: Promise<unknown>): Promise<TranscriberError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(TranscriberError);
  return err as TranscriberError;
}

describe("openAiTranscriber", () => {
  it("sends multipart WAV with model, language and prompt, and reads the text", async () => {
    fake.asr.script("покажи заказы");
    const r = await client().transcribe(wav(1.5), { seconds: 1.5 });
    expect(r.text).toBe("покажи заказы");
    expect(fake.asr.received.at(-1)).toMatchObject({ model: "whisper-1", language: "ru", prompt: "KPI", sampleRate: 16_000, channels: 1 });
    expect(fake.asr.received.at(-1)!.seconds).toBeCloseTo(1.5, 3);
  });

  it("the fake refuses audio that is not 16 kHz mono WAV, and the client does not retry that", async () => {
    const err = await failure(client().transcribe(wav(1, 8000), { seconds: 1 }));
    expect(err.retryable).toBe(false);
    expect(fake.asr.rejected.at(-1)).toMatch(/16 kHz mono/);
  });

  it("says 500, malformed JSON, a wrong key and a stall are worth retrying; never shows the key", async () => {
    fake.setFault({ mode: "500", count: 1 });
    const e500 = await failure(client().transcribe(wav(), { seconds: 1 }));
    fake.setFault({ mode: "malformed", count: 1 });
    const eJson = await failure(client().transcribe(wav(), { seconds: 1 }));
    const eKey = await failure(client(2000, "sk-wrong-key-000000000").transcribe(wav(), { seconds: 1 }));
    fake.setFault({ mode: "stall", count: 1 });
    const started = performance.now();
    const eStall = await failure(client(300).transcribe(wav(), { seconds: 1 }));
    expect(performance.now() - started).toBeLessThan(2000);
    for (const e of [e500, eJson, eKey, eStall]) {
      expect(e.retryable).toBe(true);
      expect(`${e.message} ${JSON.stringify(e)}`).not.toContain(KEY);
    }
    expect([e500.status, eKey.status, eStall.status]).toEqual([500, 401, 0]);
    expect(eStall.message).toMatch(/no answer within 300 ms/);
  });
});

describe("createAsrGuard", () => {
  it("holds at most its slots, opens after repeated failures and lets one trial through after the pause", async () => {
    let t = 0;
    const g = createAsrGuard({ slots: 1, threshold: 2, openMs: 1000, busyRetryMs: 500, now: () => t });
    let release!: () => void;
    const held = g.run(
      () => new Promise<void>((r) => (release = r)),
      () => true,
    );
    await expect(
      g.run(
        () => Promise.resolve(1),
        () => true,
      ),
    ).rejects.toBeInstanceOf(AsrUnavailable);
    release();
    await held;
    const fail = () => Promise.reject(new Error("down"));
    await expect(g.run(fail, () => true)).rejects.toThrow("down");
    await expect(g.run(fail, () => true)).rejects.toThrow("down");
    const open = await g
      .run(
        () => Promise.resolve(1),
        () => true,
      )
      .catch((e: unknown) => e);
    expect(open).toBeInstanceOf(AsrUnavailable);
    expect((open as AsrUnavailable).retryAtMs).toBe(1000);
    t = 1001;
    expect(
      await g.run(
        () => Promise.resolve(7),
        () => true,
      ),
    ).toBe(7);
    expect(g.state()).toEqual({ open: false, busy: 0, failures: 0 });
  });
});
