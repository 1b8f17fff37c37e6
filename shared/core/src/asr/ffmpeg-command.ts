import type { Container } from "./sniff.ts";

export const SAMPLE_RATE = 16_000;

/**
 * The ffmpeg command line, inside two small exec wrappers from util-linux: setpriv makes the kernel
 * SIGKILL ffmpeg when worker-asr dies (PR_SET_PDEATHSIG survives the execs), so no conversion
 * outlives its job even after a SIGKILL; prlimit caps its CPU seconds (SIGXCPU, then SIGKILL) and
 * address space. ffmpeg itself reads only stdin (`-protocol_whitelist pipe`, the demuxer forced),
 * stops at `-t`, and writes 16 kHz mono 16-bit WAV to stdout.
 */
export function ffmpegCommand(
  container: Container,
  o: { maxSeconds: number; cpuSec: number; ffmpegPath: string },
): { file: string; args: string[] } {
  const cpu = Math.max(1, Math.ceil(o.cpuSec));
  return {
    file: "setpriv",
    args: [
      "--pdeathsig",
      "KILL",
      "--",
      "prlimit",
      `--cpu=${cpu}:${cpu + 1}`,
      `--as=${1024 * 1024 * 1024}`,
      "--",
      o.ffmpegPath,
      "-hide_banner",
      "-nostats",
      "-loglevel",
      "error",
      "-threads",
      "1",
      "-protocol_whitelist",
      "pipe",
      "-f",
      container,
      "-i",
      "pipe:0",
      "-map",
      "0:a:0",
      "-vn",
      "-sn",
      "-dn",
      // One second past the limit, so "longer than allowed" can be told from "exactly the limit".
      "-t",
      String(o.maxSeconds + 1),
      "-ac",
      "1",
      "-ar",
      String(SAMPLE_RATE),
      "-c:a",
      "pcm_s16le",
      "-map_metadata",
      "-1",
      "-fflags",
      "+bitexact",
      "-flags",
      "+bitexact",
      "-fs",
      String(outputCap(o.maxSeconds)),
      "-f",
      "wav",
      "pipe:1",
    ],
  };
}

/** The most WAV bytes `-t` can let through, with room for the header. */
export const outputCap = (maxSeconds: number): number => (maxSeconds + 2) * SAMPLE_RATE * 2 + 4096;
