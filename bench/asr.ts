// Voice benchmarks (docs/benchmarks.md, "Voice"):
// 1. converting a 30 s voice note with the hardened ffmpeg (setpriv + prlimit + forced demuxer,
//    pipes only), beside the same conversion by a bare ffmpeg in the same run;
// 2. a voice note pushed to the fake Bot API → the answer seen, with the mock transcriber (real
//    getFile, download and ffmpeg), beside the same phrase typed, on the same pipeline.
import { loadavg } from "node:os";
import { execa } from "execa";
import { seedDemo } from "@ownerbot/domain/demo";
import { convertToWav } from "@ownerbot/core/asr";
import { loopedOgg, spokenPhrase } from "@ownerbot/testkit/audio";
import { startFakeTelegram, type CallRecord, type FakeTelegram } from "@ownerbot/testkit/fake-telegram";
import { flushPrefix, scratchDb, serviceEnv, startServices, summary } from "./lib.ts";

const N = Number(process.env.N ?? 30);
const OWNER = 1001;
const PHRASE = "выручка за неделю";
const fmt = (s: ReturnType<typeof summary>): string => `p50 ${s.p50.toFixed(1)} ms  p99 ${s.p99.toFixed(1)} ms  (n=${s.n})`;

async function* chunks(b: Buffer): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < b.length; i += 16_384) yield b.subarray(i, i + 16_384);
}

// 1. Conversion.
const spoken = await spokenPhrase(PHRASE);
const voice30 = await loopedOgg(spoken.ogg, Math.ceil(30 / spoken.seconds));
const opts = { voice: true, maxSeconds: 300, maxInputBytes: 20 << 20, timeoutMs: 20_000, cpuSec: 10, ffmpegPath: "ffmpeg" };
const first = await convertToWav(chunks(voice30), opts);
const hardened: number[] = [];
const bare: number[] = [];
for (let i = 0; i < N; i++) {
  let t = performance.now();
  await convertToWav(chunks(voice30), opts);
  hardened.push(performance.now() - t);
  t = performance.now();
  await execa(
    "ffmpeg",
    ["-hide_banner", "-loglevel", "error", "-i", "pipe:0", "-ac", "1", "-ar", "16000", "-c:a", "pcm_s16le", "-f", "wav", "pipe:1"],
    {
      input: voice30,
      encoding: "buffer",
    },
  );
  bare.push(performance.now() - t);
}
const conv = summary(hardened);
// The machine is shared: the load says how much of a core each run really had.
console.log(
  `load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(" ")} on this machine's cores`,
);
console.log(
  `ffmpeg conversion of a ${first.seconds.toFixed(1)} s voice note (${voice30.length} bytes OGG/Opus → ${first.wav.length} bytes WAV)`,
);
console.log(`  baseline: bare ffmpeg, no limits:     ${fmt(summary(bare))}`);
console.log(`  hardened (setpriv, prlimit, -f ogg):  ${fmt(conv)}`);
console.log(`  target p50 ≤ 150 ms → ${conv.p50 <= 150 ? "MET" : "NOT MET"}`);

// 2. End to end.
const db = await scratchDb("asr");
await seedDemo(db.pool, { scale: Number(process.env.SCALE ?? 5000), timeZone: "Europe/Moscow", currency: "RUB" });
const tg = await startFakeTelegram();
const env = serviceEnv(db, tg.apiRoot, { ASR_PROVIDER: "mock", MOCK_ASR_TEXT: PHRASE, MOCK_ASR_CONFIDENCE: "0.99" });
const svc = startServices(["ingress", "worker-intent", "sender", "worker-asr"], env);

const answerTo = (since: number, skip: (c: CallRecord) => boolean) => (c: CallRecord) =>
  c.seq > since && c.ok && c.method === "sendMessage" && Number(c.params.chat_id) === OWNER && !skip(c);

/** Pushes one message and waits for its answer (for a voice: the message after «Распознал»). */
async function timeOne(t: FakeTelegram, push: () => void, isStatus: (c: CallRecord) => boolean): Promise<number> {
  const since = t.lastSeq();
  const t0 = performance.now();
  push();
  await t.waitForCall(answerTo(since, isStatus), 30_000, since);
  return performance.now() - t0;
}
const isVoiceStatus = (c: CallRecord): boolean => String(c.params.text).startsWith("🎙");
try {
  for (let i = 0; i < 5; i++) {
    await timeOne(
      tg,
      () => tg.pushText(OWNER, PHRASE),
      () => false,
    );
    await timeOne(tg, () => tg.pushVoice(OWNER, spoken.ogg), isVoiceStatus);
  }
  const typed: number[] = [];
  const spokenMs: number[] = [];
  for (let i = 0; i < N; i++) {
    typed.push(
      await timeOne(
        tg,
        () => tg.pushText(OWNER, PHRASE),
        () => false,
      ),
    );
    spokenMs.push(await timeOne(tg, () => tg.pushVoice(OWNER, spoken.ogg), isVoiceStatus));
  }
  const v = summary(spokenMs);
  console.log(`«${PHRASE}» end to end (push → answer seen), mock transcriber, ${spoken.seconds.toFixed(1)} s voice note`);
  console.log(`  baseline: the phrase typed:           ${fmt(summary(typed))}`);
  console.log(`  the phrase spoken (voice note):       ${fmt(v)}`);
  console.log(`  target p50 ≤ 400 ms → ${v.p50 <= 400 ? "MET" : "NOT MET"}`);
} finally {
  await svc.stop();
  await tg.close();
  await flushPrefix(db.prefix);
  await db.drop();
}
