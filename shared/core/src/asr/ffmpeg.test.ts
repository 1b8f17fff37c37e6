import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { createInterface } from "node:readline";
import { beforeAll, describe, expect, it } from "vitest";
import { loopedOgg, PNG_1X1, spokenOgg, toneAudio } from "@ownerbot/testkit/audio";
import { until } from "@ownerbot/testkit/wait";
import { convertToWav, ConvertError, type ConvertOptions } from "./ffmpeg.ts";
import { parseWav, wavSeconds } from "./wav.ts";

// Real ffmpeg on real and hostile files, as worker-asr runs it.

const OPTS: ConvertOptions = {
  voice: true,
  maxSeconds: 300,
  maxInputBytes: 20 * 1024 * 1024,
  timeoutMs: 5000,
  cpuSec: 10,
  ffmpegPath: "ffmpeg",
};

async function* bytes(b: Buffer, chunk = 4096): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < b.length; i += chunk) yield b.subarray(i, i + chunk);
}

/** The first `n` bytes, then nothing more, ever: a download that stalled. */
async function* stalled(b: Buffer, n: number): AsyncGenerator<Uint8Array> {
  yield b.subarray(0, n);
  await new Promise(() => undefined);
}

async function failure(p: Promise<unknown>): Promise<ConvertError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ConvertError);
  return err as ConvertError;
}

/** Gone, or a zombie waiting to be reaped: either way no longer running. */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return !/^\d+ \(.*\) Z/.test(stat);
  } catch {
    return false;
  }
}

let phrase: Buffer;
beforeAll(async () => {
  phrase = await spokenOgg("выручка за неделю");
});

describe("convertToWav", () => {
  it("turns a spoken OGG/Opus voice note into 16 kHz mono WAV of the same length", async () => {
    const c = await convertToWav(bytes(phrase), OPTS);
    const info = parseWav(c.wav)!;
    expect(info).toMatchObject({ sampleRate: 16_000, channels: 1, bitsPerSample: 16, format: 1 });
    // The header carries true sizes (ffmpeg on a pipe leaves them at 0xFFFFFFFF).
    expect(c.wav.readUInt32LE(4)).toBe(c.wav.length - 8);
    expect(info.dataBytes).toBe(c.wav.length - 44);
    expect(wavSeconds(info)).toBeCloseTo(c.seconds, 3);
    expect(c.seconds).toBeGreaterThan(0.8);
    expect(c.seconds).toBeLessThan(3);
    expect(c.container).toBe("ogg");
  });

  it("opens other audio only with an allowed demuxer chosen by the file's bytes", async () => {
    const mp3 = await toneAudio(2, { format: "mp3" });
    const c = await convertToWav(bytes(mp3), { ...OPTS, voice: false });
    expect(c.container).toBe("mp3");
    expect(c.seconds).toBeGreaterThan(1.8);
    // The same bytes in a voice note are refused: voice notes are OGG by Telegram's contract.
    expect((await failure(convertToWav(bytes(mp3), OPTS))).reason).toBe("not_audio");
  });

  it("refuses a PNG named .ogg without running ffmpeg", async () => {
    let spawned = false;
    const err = await failure(convertToWav(bytes(PNG_1X1), { ...OPTS, onSpawn: () => (spawned = true) }));
    expect(err.reason).toBe("not_audio");
    expect(spawned).toBe(false);
  });

  it("refuses truncated Opus as broken, with ffmpeg's last words kept", async () => {
    const err = await failure(convertToWav(bytes(phrase.subarray(0, 300)), OPTS));
    expect(["corrupt", "not_audio"]).toContain(err.reason);
  });

  it("refuses silence and audio over the limit (decoding stops at the cap, not at the end of two hours)", async () => {
    expect((await failure(convertToWav(bytes(await toneAudio(3, { silent: true })), OPTS))).reason).toBe("silence");
    const twoHours = await loopedOgg(await toneAudio(4), 1800);
    const started = performance.now();
    const err = await failure(convertToWav(bytes(twoHours), OPTS));
    expect(err.reason).toBe("too_long");
    expect(performance.now() - started).toBeLessThan(4000);
  });

  it("refuses input beyond the byte cap", async () => {
    const err = await failure(convertToWav(bytes(await toneAudio(20)), { ...OPTS, maxInputBytes: 10_000 }));
    expect(err.reason).toBe("too_big");
  });

  it("kills ffmpeg when its input stalls, and says the download stalled", async () => {
    let pid = 0;
    const started = performance.now();
    const err = await failure(convertToWav(stalled(phrase, 1000), { ...OPTS, timeoutMs: 700, onSpawn: (p) => (pid = p) }));
    expect(err.reason).toBe("input_stalled");
    expect(performance.now() - started).toBeLessThan(3000);
    expect(pid).toBeGreaterThan(0);
    await until(async () => !alive(pid), 3000);
  });

  it("leaves no ffmpeg behind when its worker is SIGKILLed mid-conversion", async () => {
    const script = resolve(import.meta.dirname, "../../../testkit/src/convert-forever.ts");
    const child = spawn(process.execPath, [script], { stdio: ["ignore", "pipe", "inherit"] });
    const line = await new Promise<string>((r) => createInterface({ input: child.stdout }).once("line", r));
    const pid = Number(/ffmpeg (\d+)/.exec(line)?.[1]);
    expect(alive(pid)).toBe(true);
    child.kill("SIGKILL");
    await until(async () => !alive(pid), 5000);
  });
});
