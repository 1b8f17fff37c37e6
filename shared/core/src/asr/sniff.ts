// What a file is, by its first bytes, before any decoder sees it.

/** Containers ffmpeg may open here, by the name of the demuxer it is then forced to use. */
export type Container = "ogg" | "matroska" | "mp3" | "wav" | "mov" | "flac" | "aac";

/**
 * The container named by a file's magic bytes, or null for anything else (a PNG named .ogg, a
 * PDF, random bytes). Only these demuxers are ever run on an owner's file: ffmpeg's own probing
 * would try hundreds of formats, some of them with a history of parser bugs.
 */
export function sniffContainer(head: Buffer): Container | null {
  const s = (a: number, b: number): string => head.toString("latin1", a, b);
  if (head.length < 12) return null;
  if (s(0, 4) === "OggS") return "ogg";
  if (head.readUInt32BE(0) === 0x1a45dfa3) return "matroska";
  if (s(0, 4) === "RIFF" && s(8, 12) === "WAVE") return "wav";
  if (s(4, 8) === "ftyp") return "mov";
  if (s(0, 4) === "fLaC") return "flac";
  if (s(0, 3) === "ID3") return "mp3";
  const b0 = head[0] ?? 0;
  const b1 = head[1] ?? 0;
  if (b0 === 0xff && (b1 & 0xf6) === 0xf0) return "aac";
  if (b0 === 0xff && (b1 & 0xe0) === 0xe0 && (b1 & 0x06) !== 0) return "mp3";
  return null;
}
