import { readdirSync, readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loopedOgg, PNG_1X1, spokenOgg, toneAudio } from "@ownerbot/testkit/audio";
import { startFakeOpenAi } from "@ownerbot/testkit/fake-openai";
import { ownerChat, startDemoWorld } from "@ownerbot/testkit/owner-chat";
import { isReplyTo, until, waitForCalls } from "@ownerbot/testkit/wait";
import type { World } from "@ownerbot/testkit/world";
import type { CallRecord, PushVoiceOptions } from "@ownerbot/testkit/fake-telegram";
import { checkWorld, formatHistory, violated } from "@ownerbot/testkit/history";

// Promise 10 for audio: each hostile file gets one clear message and no retry loop, the worker
// keeps serving the other chats meanwhile, a stalled transcription service holds only its slot,
// and a worker-asr killed mid-conversion leaves no ffmpeg behind.

const KEY = "sk-e2e-hostile-key-5c5c5c5c";
const [A, B, C] = [1001, 1002, 1003];
let fake: Awaited<ReturnType<typeof startFakeOpenAi>>;
let w: World;
let phrase: Buffer;

beforeAll(async () => {
  fake = await startFakeOpenAi({ apiKey: KEY });
  phrase = await spokenOgg("выручка за неделю");
  w = await startDemoWorld({
    asr: true,
    env: {
      OWNER_IDS: `${A},${B},${C}`,
      ASR_PROVIDER: "openai",
      OPENAI_BASE_URL: fake.url,
      OPENAI_API_KEY: KEY,
      ASR_TIMEOUT_SEC: "3",
      // Generous: on a loaded machine (the whole suite in parallel) a legitimate conversion took over 1.5 s.
      ASR_CONVERT_TIMEOUT_SEC: "6",
      ASR_TRANSCRIBE_CONCURRENCY: "1",
      ASR_BACKOFF_MAX_SEC: "1",
      JOB_BACKOFF_BASE_MS: "200",
      LOG_LEVEL: "info",
    },
  });
  await ownerChat(w.tg).ask("/start");
});
afterAll(async () => {
  await w?.close();
  await fake?.close();
});

const text = (c: CallRecord): string => (typeof c.params.text === "string" ? c.params.text : "");

/** Sends a file as `user` and returns every reply up to the one matching `last`. */
async function send(user: number, bytes: Buffer, opts: PushVoiceOptions, last: RegExp, timeoutMs = 40_000): Promise<string[]> {
  const since = w.tg.lastSeq();
  w.tg.pushVoice(user, bytes, { ...opts, chatId: user });
  const match = (c: CallRecord): boolean => isReplyTo(user)(c) && last.test(text(c));
  await waitForCalls(w.tg, match, 1, { since, timeoutMs });
  return w.tg.calls(since).filter(isReplyTo(user)).map(text);
}

const FINAL = /^🎙 (?!Распознаю)|^📄/;

/** ffmpeg processes whose parent is `pid`. */
function ffmpegChildren(pid: number): number[] {
  const out: number[] = [];
  for (const d of readdirSync("/proc")) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, "utf8");
      const m = /^\d+ \((.*)\) (\S) (\d+)/.exec(stat);
      if (m && m[1] === "ffmpeg" && m[2] !== "Z" && Number(m[3]) === pid) out.push(Number(d));
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

const running = (pid: number): boolean => {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return false;
  }
};

describe("hostile audio", () => {
  it("refuses each with one clear message, without trying again", async () => {
    const cases: [string, Buffer, PushVoiceOptions, RegExp][] = [
      ["50 MB voice", Buffer.alloc(50 * 1024 * 1024, 7), {}, /Файл больше 20 МБ/],
      ["PNG named .ogg", PNG_1X1, { asDocument: true, fileName: "voice.ogg", mimeType: "audio/ogg" }, /Это не аудио/],
      ["truncated Opus", phrase.subarray(0, 300), {}, /повреждён или обрезан|Это не аудио/],
      ["2-hour voice", phrase, { duration: 7200 }, /длиннее 5 минут/],
      ["silence", await toneAudio(3, { silent: true }), {}, /не слышно речи/],
      [
        "PDF document",
        Buffer.from("%PDF-1.4\n%\xe2\xe3\n1 0 obj\n"),
        { asDocument: true, fileName: "report.pdf", mimeType: "application/pdf" },
        /Файлы я не читаю/,
      ],
    ];
    for (const [name, bytes, opts, expected] of cases) {
      const replies = await send(A, bytes, opts, FINAL);
      expect(replies.at(-1), name).toMatch(expected);
      // At most the status message before the verdict; nothing after it.
      expect(replies.length, `${name}: ${replies.join(" | ")}`).toBeLessThanOrEqual(2);
    }
    // The 2-hour file that does not say how long it is: ffmpeg stops at the cap.
    const long = await loopedOgg(await toneAudio(4, { kbps: 6 }), 1800);
    expect(long.length).toBeLessThan(20 * 1024 * 1024);
    const replies = await send(A, long, { asDocument: true, fileName: "lecture.ogg", mimeType: "audio/ogg" }, FINAL);
    expect(replies).toEqual(["🎙 Распознаю…", expect.stringMatching(/длиннее 5 минут/)]);
    expect(fake.asr.received).toHaveLength(0);
  });

  it("a download that stalls is given up after three tries; other chats are served meanwhile", async () => {
    const since = w.tg.lastSeq();
    const voice = w.tg.pushVoice(A, phrase, { chatId: A });
    // Aimed at A's file only, and set before worker-asr can ask for it (the fake runs in this process).
    w.tg.setFault({ method: `file:${voice.message!.voice!.file_id}`, kind: "stall", count: 3 });
    await until(
      async () =>
        (
          await w.t.pool.query<{ attempts: number }>(
            "SELECT attempts FROM asr_jobs WHERE id = (SELECT id FROM inbox WHERE update_id = $1)",
            [voice.update_id],
          )
        ).rows[0]?.attempts === 2,
    );
    // While A's voice is between its stalled tries, B's voice is downloaded, converted and answered.
    const other = await send(B, phrase, {}, /^🎙 Распознал/);
    expect(other[1]).toBe("🎙 Распознал: «выручка за неделю»");
    await waitForCalls(w.tg, (c) => isReplyTo(A)(c) && FINAL.test(text(c)), 1, { since, timeoutMs: 30_000 });
    const replies = w.tg.calls(since).filter(isReplyTo(A)).map(text);
    expect(replies).toEqual(["🎙 Распознаю…", expect.stringMatching(/Не получилось скачать запись/)]);
    expect(w.stack["worker-asr"]!.output()).toMatch(/"reason":"download_failed"/);
  });

  it("a stalled transcription service holds one slot; a hostile file of another chat is refused meanwhile", async () => {
    fake.setFault({ mode: "stall" });
    const hitsBefore = fake.hits("/v1/audio/transcriptions");
    const since = w.tg.lastSeq();
    w.tg.pushVoice(A, phrase, { chatId: A });
    w.tg.pushVoice(B, phrase, { chatId: B });
    await until(async () => fake.hits("/v1/audio/transcriptions") > hitsBefore, 10_000);
    const refused = await send(C, PNG_1X1, { asDocument: true, fileName: "x.ogg", mimeType: "audio/ogg" }, FINAL, 5000);
    expect(refused.at(-1)).toMatch(/Это не аудио/);
    // One call stalls in the only slot; the other voice backs off instead of calling too.
    expect(fake.hits("/v1/audio/transcriptions") - hitsBefore).toBe(1);
    fake.clearFaults();
    for (const user of [A, B])
      await waitForCalls(w.tg, (c) => isReplyTo(user)(c) && text(c).startsWith("🎙 Распознал"), 1, { since, timeoutMs: 30_000 });
  });

  it("leaves no ffmpeg behind when worker-asr is SIGKILLed mid-conversion, and the voice is answered after restart", async () => {
    // A long conversion deadline and a download that stalls keep ffmpeg waiting on its stdin.
    await w.stack.restart("worker-asr", "SIGTERM", { ASR_CONVERT_TIMEOUT_SEC: "60" });
    const since = w.tg.lastSeq();
    const voice = w.tg.pushVoice(A, phrase, { chatId: A });
    w.tg.setFault({ method: `file:${voice.message!.voice!.file_id}`, kind: "stall", count: 1 });
    const pid = w.stack["worker-asr"]!.proc.pid!;
    let children: number[] = [];
    await until(async () => (children = ffmpegChildren(pid)).length > 0, 15_000);
    await w.stack.restart("worker-asr", "SIGKILL");
    await until(async () => !children.some(running), 5000);
    await waitForCalls(w.tg, (c) => isReplyTo(A)(c) && text(c).startsWith("🎙 Распознал"), 1, { since, timeoutMs: 30_000 });
  });

  it("keeps the history clean across all of it", async () => {
    await until(
      async () =>
        (await w.t.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM outbox WHERE status IN ('pending', 'claimed')")).rows[0]!.n ===
        0,
    );
    const report = await checkWorld(w, { owners: [A, B, C], secrets: [KEY] });
    expect(violated(report, [1, 2, 3, 8, 9]), formatHistory(report)).toEqual([]);
  });
});
