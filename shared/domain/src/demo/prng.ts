// Seeded pseudo-randomness for the parts of the demo shop built in TypeScript (catalogue, day plan,
// FX walk, chats). Bulk rows are drawn in SQL from hashint8extended instead (see sql-rand.ts).

/** splitmix32: tiny, fast and good enough for picking demo data; never Math.random. */
export function createRng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    z = (z ^ (z >>> 16)) >>> 0;
    return z / 4294967296;
  };
}

/** An independent stream per purpose, so adding draws to one part does not shift the others. */
export function streamRng(seed: number, stream: number): () => number {
  return createRng(Math.imul(seed ^ 0x5bd1e995, 0x27d4eb2d) + Math.imul(stream, 0x165667b1));
}

export function pick<T>(rng: () => number, items: readonly T[]): T {
  const item = items[Math.floor(rng() * items.length)];
  if (item === undefined) throw new Error("pick from an empty list");
  return item;
}

/** Fisher–Yates on a copy. */
export function shuffled<T>(rng: () => number, items: readonly T[]): T[] {
  const out = items.slice();
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}
