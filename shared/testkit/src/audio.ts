import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { parseWav, wavSeconds } from "@ownerbot/core/asr";

// Real audio for tests and benchmarks, made by the same tools a phone and Telegram would use:
// espeak-ng speaks Russian, ffmpeg encodes OGG/Opus as Telegram voice notes are.

const run = promisify(execFile);

async function inTemp<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), "ob-audio-"));
  try {
    return await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const OPUS = ["-c:a", "libopus", "-b:a", "24k", "-ar", "48000", "-ac", "1", "-f", "ogg"];

/**
 * A Russian phrase spoken by espeak-ng (`espeak-ng -v ru -w out.wav "…"`), encoded as a Telegram
 * voice note (OGG/Opus), with `padSec` of silence after it; `seconds` is the spoken WAV's length
 * plus the pad, what a correct conversion must give back.
 */
export function spokenPhrase(text: string, padSec = 0): Promise<{ ogg: Buffer; seconds: number }> {
  return inTemp(async (dir) => {
    await run("espeak-ng", ["-v", "ru", "-w", join(dir, "s.wav"), text]);
    const pad = padSec > 0 ? ["-af", `apad=pad_dur=${padSec}`] : [];
    await run("ffmpeg", ["-hide_banner", "-loglevel", "error", "-i", join(dir, "s.wav"), ...pad, ...OPUS, join(dir, "s.ogg")]);
    const info = parseWav(await readFile(join(dir, "s.wav")));
    return { ogg: await readFile(join(dir, "s.ogg")), seconds: (info ? wavSeconds(info) : 0) + padSec };
  });
}

export async function spokenOgg(text: string, padSec = 0): Promise<Buffer> {
  return (await spokenPhrase(text, padSec)).ogg;
}

/** A tone (or silence) of `seconds`, encoded as `format` ("ogg" Opus, "mp3", "wav", "webm"); Opus at `kbps` (24). */
export function toneAudio(
  seconds: number,
  o: { silent?: boolean; format?: "ogg" | "mp3" | "wav" | "webm"; kbps?: number } = {},
): Promise<Buffer> {
  const src = o.silent ? `anullsrc=r=48000:cl=mono:d=${seconds}` : `sine=frequency=440:sample_rate=48000:duration=${seconds}`;
  const enc =
    o.format === "mp3"
      ? ["-c:a", "libmp3lame", "-b:a", "32k", "-f", "mp3"]
      : o.format === "wav"
        ? ["-c:a", "pcm_s16le", "-f", "wav"]
        : o.format === "webm"
          ? ["-c:a", "libopus", "-b:a", "24k", "-f", "webm"]
          : OPUS.map((a) => (a === "24k" && o.kbps !== undefined ? `${o.kbps}k` : a));
  return inTemp(async (dir) => {
    const out = join(dir, "t.out");
    await run("ffmpeg", ["-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i", src, "-t", String(seconds), ...enc, out]);
    return readFile(out);
  });
}

/** A round video note as Telegram clients send it: MP4 with a small square video and AAC audio. */
export function videoNote(seconds: number): Promise<Buffer> {
  return inTemp(async (dir) => {
    const out = join(dir, "v.mp4");
    await run("ffmpeg", [
      "-hide_banner",
      "-loglevel",
      "error",
      "-f",
      "lavfi",
      "-i",
      `color=c=blue:s=240x240:d=${seconds}`,
      "-f",
      "lavfi",
      "-i",
      `sine=frequency=330:sample_rate=48000:duration=${seconds}`,
      "-c:v",
      "mpeg4",
      "-c:a",
      "aac",
      "-shortest",
      "-movflags",
      "+faststart",
      "-f",
      "mp4",
      out,
    ]);
    return readFile(out);
  });
}

/** `times` copies of an OGG one after another, without re-encoding: hours of audio in a second. */
export function loopedOgg(ogg: Buffer, times: number): Promise<Buffer> {
  return inTemp(async (dir) => {
    const { writeFile } = await import("node:fs/promises");
    await writeFile(join(dir, "in.ogg"), ogg);
    await run("ffmpeg", [
      "-hide_banner",
      "-loglevel",
      "error",
      "-stream_loop",
      String(times - 1),
      "-i",
      join(dir, "in.ogg"),
      "-c",
      "copy",
      "-f",
      "ogg",
      join(dir, "out.ogg"),
    ]);
    return readFile(join(dir, "out.ogg"));
  });
}

/** A 1×1 PNG: the classic "not audio named .ogg". */
export const PNG_1X1 = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==",
  "base64",
);
