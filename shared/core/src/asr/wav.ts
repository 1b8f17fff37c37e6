// 16-bit PCM WAV: what ffmpeg hands over and what a transcriber is sent.

export type WavInfo = {
  sampleRate: number;
  channels: number;
  bitsPerSample: number;
  format: number;
  dataOffset: number;
  dataBytes: number;
};

/**
 * Reads a RIFF/WAVE header. ffmpeg writing to a pipe cannot seek back, so its size fields are
 * 0xFFFFFFFF: a data chunk that claims more than the buffer holds runs to the end of it.
 */
export function parseWav(b: Buffer): WavInfo | null {
  if (b.length < 12 || b.toString("latin1", 0, 4) !== "RIFF" || b.toString("latin1", 8, 12) !== "WAVE") return null;
  let at = 12;
  let fmt: Omit<WavInfo, "dataOffset" | "dataBytes"> | undefined;
  while (at + 8 <= b.length) {
    const id = b.toString("latin1", at, at + 4);
    const size = b.readUInt32LE(at + 4);
    const body = at + 8;
    if (id === "fmt " && size >= 16 && body + 16 <= b.length) {
      fmt = {
        format: b.readUInt16LE(body),
        channels: b.readUInt16LE(body + 2),
        sampleRate: b.readUInt32LE(body + 4),
        bitsPerSample: b.readUInt16LE(body + 14),
      };
    }
    if (id === "data") {
      if (!fmt) return null;
      return { ...fmt, dataOffset: body, dataBytes: Math.min(size, b.length - body) };
    }
    at = body + size + (size % 2);
  }
  return null;
}

/** A canonical 44-byte header with true sizes in front of mono/stereo 16-bit PCM. */
export function wavOf(pcm: Buffer, sampleRate: number, channels = 1): Buffer {
  const h = Buffer.alloc(44);
  h.write("RIFF", 0, "latin1");
  h.writeUInt32LE(36 + pcm.length, 4);
  h.write("WAVEfmt ", 8, "latin1");
  h.writeUInt32LE(16, 16);
  h.writeUInt16LE(1, 20);
  h.writeUInt16LE(channels, 22);
  h.writeUInt32LE(sampleRate, 24);
  h.writeUInt32LE(sampleRate * channels * 2, 28);
  h.writeUInt16LE(channels * 2, 32);
  h.writeUInt16LE(16, 34);
  h.write("data", 36, "latin1");
  h.writeUInt32LE(pcm.length, 40);
  return Buffer.concat([h, pcm]);
}

export function wavSeconds(w: WavInfo): number {
  const frame = w.channels * (w.bitsPerSample / 8);
  return frame > 0 && w.sampleRate > 0 ? Math.floor(w.dataBytes / frame) / w.sampleRate : 0;
}

/**
 * Loudest sample of 16-bit PCM, as a fraction of full scale. Below about 0.01 (-40 dBFS) there is
 * nothing to transcribe, and a transcriber given silence tends to invent words.
 */
export function peakLevel(pcm: Buffer): number {
  let peak = 0;
  for (let i = 0; i + 1 < pcm.length; i += 2) {
    const v = Math.abs(pcm.readInt16LE(i));
    if (v > peak) peak = v;
  }
  return peak / 32768;
}
