// A stand-in for worker-asr in the parent-death test (ffmpeg.test.ts): starts a conversion whose
// input never ends, prints ffmpeg's pid, and waits to be killed.
import { convertToWav } from "@ownerbot/core/asr";
import { spokenOgg } from "./audio.ts";

const ogg = await spokenOgg("выручка за неделю");
async function* forever(): AsyncGenerator<Uint8Array> {
  yield ogg.subarray(0, 1000);
  await new Promise(() => undefined);
}
void convertToWav(forever(), {
  voice: true,
  maxSeconds: 300,
  maxInputBytes: 1 << 20,
  timeoutMs: 600_000,
  cpuSec: 600,
  ffmpegPath: "ffmpeg",
  onSpawn: (pid) => console.log(`ffmpeg ${pid}`),
});
