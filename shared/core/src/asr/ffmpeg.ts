import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { execa } from "execa";
import { ffmpegCommand, outputCap, SAMPLE_RATE } from "./ffmpeg-command.ts";
import { sniffContainer, type Container } from "./sniff.ts";
import { parseWav, peakLevel, wavOf, wavSeconds } from "./wav.ts";

export { SAMPLE_RATE } from "./ffmpeg-command.ts";

export type ConvertOptions = {
  /** Voice notes are OGG/Opus by Telegram's contract: anything else in one is refused unopened. */
  voice: boolean;
  maxSeconds: number;
  /** Bytes of input accepted; more means the file is not what Telegram said it was. */
  maxInputBytes: number;
  /** Wall-clock for reading the input and converting it, together. */
  timeoutMs: number;
  cpuSec: number;
  ffmpegPath: string;
  /** The job's own signal: a stopping worker ends the conversion too. */
  signal?: AbortSignal | undefined;
  /** Told ffmpeg's pid once it runs (tests check it is gone afterwards). */
  onSpawn?: (pid: number) => void;
};

export type ConvertReason =
  "not_audio" | "corrupt" | "too_big" | "too_long" | "silence" | "convert_timeout" | "input_stalled" | "input_failed";

/** A conversion that did not give audio, with what ffmpeg said last (never the file itself). */
export class ConvertError extends Error {
  readonly reason: ConvertReason;
  readonly stderrTail: string;
  constructor(reason: ConvertReason, message: string, stderrTail = "") {
    super(stderrTail ? `${message}; ffmpeg: ${stderrTail}` : message);
    this.name = "ConvertError";
    this.reason = reason;
    this.stderrTail = stderrTail;
  }
}

export type Converted = { wav: Buffer; seconds: number; container: Container; ms: number };

/** Demuxers allowed for files that are not voice notes (see sniff.ts); a video note is MP4. */
const ALLOWED: ReadonlySet<Container> = new Set(["ogg", "matroska", "mp3", "wav", "mov", "flac", "aac"]);
const STDERR_TAIL = 600;
/** Below this peak (about -40 dBFS) there is nothing to hear. */
const SILENCE_PEAK = 0.01;

/** Reads from the input until the first 16 bytes are there (or it ends). */
async function readHead(it: AsyncIterator<Uint8Array>): Promise<{ head: Buffer; done: boolean }> {
  const parts: Buffer[] = [];
  let n = 0;
  while (n < 16) {
    const r = await it.next();
    if (r.done) return { head: Buffer.concat(parts), done: true };
    const b = Buffer.from(r.value);
    parts.push(b);
    n += b.length;
  }
  return { head: Buffer.concat(parts), done: false };
}

function classifyFailure(stderr: string): ConvertReason {
  if (
    /Invalid data found|could not find codec|matches no streams|does not contain any stream|Failed to read|Unknown input format/i.test(
      stderr,
    )
  )
    return "not_audio";
  return "corrupt";
}

/**
 * Converts an owner's audio file, streamed as it downloads, to 16 kHz mono WAV in memory: no temp
 * files. Every way it can go wrong ends in a ConvertError whose reason the owner's message is
 * chosen by; ffmpeg is killed on every overrun (time, CPU, input or output size, cancel).
 */
export async function convertToWav(input: AsyncIterable<Uint8Array>, o: ConvertOptions): Promise<Converted> {
  const started = performance.now();
  const deadline = AbortSignal.timeout(o.timeoutMs);
  const it = input[Symbol.asyncIterator]();
  const headOrTimeout = await Promise.race([
    readHead(it),
    new Promise<null>((r) => deadline.addEventListener("abort", () => r(null), { once: true })),
  ]).catch((err: unknown) => {
    throw new ConvertError("input_failed", `reading the file failed: ${errText(err)}`);
  });
  if (headOrTimeout === null) {
    void it.return?.();
    throw new ConvertError("input_stalled", `no data within ${o.timeoutMs} ms`);
  }
  const { head, done: emptyAfterHead } = headOrTimeout;
  const container = sniffContainer(head);
  if (container === null || (o.voice && container !== "ogg") || !ALLOWED.has(container)) {
    void it.return?.();
    throw new ConvertError("not_audio", `not an allowed audio container (${container ?? "unknown bytes"})`);
  }

  const cmd = ffmpegCommand(container, o);
  const signals = o.signal ? AbortSignal.any([o.signal, deadline]) : deadline;
  const sub = execa(cmd.file, cmd.args, {
    stdin: "pipe",
    stdout: "pipe",
    stderr: "pipe",
    buffer: false,
    reject: false,
    cancelSignal: signals,
    killSignal: "SIGKILL",
    forceKillAfterDelay: false,
    cleanup: true,
  });
  if (sub.pid !== undefined) o.onSpawn?.(sub.pid);
  let stderr = "";
  sub.stderr.on("data", (b: Buffer) => {
    stderr = (stderr + b.toString("utf8")).slice(-STDERR_TAIL);
  });
  const out: Buffer[] = [];
  let outBytes = 0;
  let overrun: ConvertReason | null = null;
  const cap = outputCap(o.maxSeconds);
  sub.stdout.on("data", (b: Buffer) => {
    outBytes += b.length;
    if (outBytes > cap) {
      overrun = "too_long";
      sub.kill("SIGKILL");
      return;
    }
    out.push(b);
  });

  // Feeds ffmpeg as the download arrives. `waitingOnInput` tells a stalled download (retry later)
  // from an ffmpeg that stopped reading or never finished (the file's fault) when the deadline hits.
  let waitingOnInput = false;
  let inputDone = emptyAfterHead;
  let sourceEnded = emptyAfterHead;
  let inputError: unknown;
  // A download that hangs must not hold the feeding loop once ffmpeg is gone or the time is up.
  const stop = new AbortController();
  const stopped = new Promise<null>((r) => stop.signal.addEventListener("abort", () => r(null), { once: true }));
  let stalledAtDeadline = false;
  signals.addEventListener(
    "abort",
    () => {
      stalledAtDeadline = waitingOnInput;
      stop.abort();
    },
    { once: true },
  );
  async function* chunks(): AsyncGenerator<Buffer> {
    let inBytes = head.length;
    try {
      yield head;
      if (emptyAfterHead) return;
      for (;;) {
        waitingOnInput = true;
        const r = await Promise.race([it.next(), stopped]);
        waitingOnInput = false;
        if (r === null) return;
        if (r.done) {
          sourceEnded = true;
          return;
        }
        inBytes += r.value.length;
        if (inBytes > o.maxInputBytes) {
          overrun = "too_big";
          sub.kill("SIGKILL");
          return;
        }
        yield Buffer.from(r.value);
      }
    } finally {
      // Ends the download when ffmpeg quit first (the -t cap on a long file, a kill).
      void it.return?.();
    }
  }
  const feeding = pipeline(Readable.from(chunks()), sub.stdin).then(
    () => {
      inputDone = sourceEnded && overrun === null;
    },
    (err: unknown) => {
      // ffmpeg closing its stdin early (EPIPE) is its own business, judged by its exit below.
      if (!isPipeClosed(err)) {
        inputError = err;
        sub.kill("SIGKILL");
      }
    },
  );

  const result = await sub;
  stop.abort();
  await feeding;
  const tail = stderr.trim().replace(/\s+/g, " ").slice(-STDERR_TAIL);
  const ms = Math.round(performance.now() - started);
  if (overrun === "too_big") throw new ConvertError("too_big", `the file is larger than ${o.maxInputBytes} bytes`);
  if (overrun === "too_long") throw new ConvertError("too_long", `more audio than ${o.maxSeconds} s`);
  if (inputError !== undefined) throw new ConvertError("input_failed", `reading the file failed: ${errText(inputError)}`, tail);
  if (result.isCanceled || result.timedOut) {
    if (o.signal?.aborted) throw new ConvertError("input_failed", "stopped: the worker is shutting down", tail);
    if (!inputDone && stalledAtDeadline) throw new ConvertError("input_stalled", `the file did not arrive within ${o.timeoutMs} ms`, tail);
    throw new ConvertError("convert_timeout", `ffmpeg did not finish within ${o.timeoutMs} ms and was killed`, tail);
  }
  if (result.signal === "SIGXCPU" || result.signal === "SIGKILL")
    throw new ConvertError("convert_timeout", `ffmpeg was killed by ${result.signal} (CPU limit ${o.cpuSec} s)`, tail);
  if (result.exitCode !== 0) throw new ConvertError(classifyFailure(tail), `ffmpeg exited with ${result.exitCode ?? result.signal}`, tail);

  const raw = Buffer.concat(out);
  const info = parseWav(raw);
  if (!info || info.sampleRate !== SAMPLE_RATE || info.channels !== 1 || info.bitsPerSample !== 16)
    throw new ConvertError("corrupt", "ffmpeg gave no 16 kHz mono WAV", tail);
  const pcm = raw.subarray(info.dataOffset, info.dataOffset + info.dataBytes - (info.dataBytes % 2));
  const seconds = wavSeconds({ ...info, dataBytes: pcm.length });
  if (seconds > o.maxSeconds) throw new ConvertError("too_long", `${seconds.toFixed(1)} s of audio, more than ${o.maxSeconds} s`);
  if (seconds < 0.1) throw new ConvertError(pcm.length === 0 ? "corrupt" : "silence", "no audio in the file", tail);
  if (peakLevel(pcm) < SILENCE_PEAK) throw new ConvertError("silence", `${seconds.toFixed(1)} s of silence`);
  return { wav: wavOf(pcm, SAMPLE_RATE), seconds, container, ms };
}

function isPipeClosed(err: unknown): boolean {
  const code = (err as { code?: string } | null)?.code;
  return code === "EPIPE" || code === "ERR_STREAM_PREMATURE_CLOSE" || code === "ERR_STREAM_DESTROYED";
}

function errText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
