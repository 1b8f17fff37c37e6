import { crc32, inflateSync } from "node:zlib";

// A small PNG reader for tests: 8-bit greyscale, RGB or RGBA, not interlaced — what Chromium and
// resvg write, with every chunk's CRC checked. Enough to look at a rendered chart's pixels
// without an image library.

export type Pixels = { width: number; height: number; at: (x: number, y: number) => [number, number, number] };

const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 4: 2, 6: 4 };

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

export function decodePng(png: Buffer): Pixels {
  if (png.subarray(0, 8).toString("hex") !== "89504e470d0a1a0a") throw new Error("not a PNG");
  let width = 0;
  let height = 0;
  let channels = 0;
  const idat: Buffer[] = [];
  for (let at = 8; at < png.length;) {
    const len = png.readUInt32BE(at);
    const type = png.subarray(at + 4, at + 8).toString("ascii");
    const data = png.subarray(at + 8, at + 8 + len);
    if (crc32(data, crc32(png.subarray(at + 4, at + 8))) !== png.readUInt32BE(at + 8 + len)) throw new Error(`bad CRC in ${type}`);
    if (type === "IHDR") {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      const depth = data[8];
      channels = CHANNELS[data[9] ?? -1] ?? 0;
      if (depth !== 8 || channels === 0 || data[12] !== 0) throw new Error("unsupported PNG layout");
    } else if (type === "IDAT") idat.push(data);
    at += 12 + len;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const out = Buffer.alloc(height * stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    for (let i = 0; i < stride; i++) {
      const x = raw[y * (stride + 1) + 1 + i] ?? 0;
      const a = i >= channels ? (out[y * stride + i - channels] ?? 0) : 0;
      const b = y > 0 ? (out[(y - 1) * stride + i] ?? 0) : 0;
      const c = y > 0 && i >= channels ? (out[(y - 1) * stride + i - channels] ?? 0) : 0;
      const predicted = filter === 1 ? a : filter === 2 ? b : filter === 3 ? (a + b) >> 1 : filter === 4 ? paeth(a, b, c) : 0;
      out[y * stride + i] = (x + predicted) & 0xff;
    }
  }
  return {
    width,
    height,
    at: (x, y) => {
      const i = y * stride + x * channels;
      if (channels < 3) return [out[i] ?? 0, out[i] ?? 0, out[i] ?? 0];
      return [out[i] ?? 0, out[i + 1] ?? 0, out[i + 2] ?? 0];
    },
  };
}

/** How many pixels of the image are not (near) white. */
export function inkedPixels(p: Pixels, box = { x: 0, y: 0, width: p.width, height: p.height }): number {
  let n = 0;
  for (let y = box.y; y < box.y + box.height; y++) for (let x = box.x; x < box.x + box.width; x++) if (p.at(x, y).some((c) => c < 235)) n++;
  return n;
}

/** Whether some pixel is within `tol` of the colour `#rrggbb`. */
export function hasColour(p: Pixels, hex: string, tol = 24): boolean {
  const want = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
  for (let y = 0; y < p.height; y++)
    for (let x = 0; x < p.width; x++) if (p.at(x, y).every((c, k) => Math.abs(c - want[k]!) <= tol)) return true;
  return false;
}
