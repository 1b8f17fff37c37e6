// SIS actions through the real Actions API client against the SIS simulator (no bot processes):
// preview and apply latency of sis_discounts_set on one product, and an apply whose first attempt
// gets a 500 or loses its answer (retried with the same Idempotency-Key after the backoff). Each
// apply must count exactly one effect at SIS.
import { createDb } from "@ownerbot/core/db";
import { type ActionContext, commitAction, previewAction } from "@ownerbot/domain/actions";
import { seedDemo } from "@ownerbot/domain/demo";
import { createDemoProvider } from "@ownerbot/domain/tools";
import { createSisActions, createSisHttp } from "@ownerbot/domain/sis";
import { demoCatalog, type SimFault, startSisSim } from "@ownerbot/testkit/sis-sim";
import { scratchDb, summary } from "./lib.ts";

const N = Number(process.env.N ?? 200);
const FAULTED = Number(process.env.FAULTED ?? 30);
const ACTOR = 1001;
const SHOP = { shopId: "bench", currency: "RUB", timeZone: "Europe/Moscow", locale: "ru-RU" };

const scratch = await scratchDb("sisactions");
await seedDemo(scratch.pool, { scale: 1000, seed: 5, anchorDay: "2026-11-23", timeZone: SHOP.timeZone, currency: SHOP.currency });
const db = createDb(scratch.pool);
const sim = await startSisSim({ shop: createDemoProvider(db), actors: [ACTOR], ...demoCatalog(scratch.pool) });
const http = createSisHttp({ baseUrl: sim.url, apiKey: sim.apiKey, timeoutMs: 3000, maxRetries: 2, backoffBaseMs: 100, bulkhead: 4 });
const ctx: ActionContext = {
  db,
  shop: SHOP,
  now: new Date(),
  correlationId: "bench-sis",
  actorId: ACTOR,
  managerChatIds: [],
  upstream: "sis",
  sisActions: createSisActions(http, { apiKey: sim.apiKey }),
};
const ids = [...(await sim.shop()).items.keys()];

async function round(i: number, fault: SimFault | null): Promise<{ preview: number; apply: number }> {
  const input = { product_ids: [ids[i % ids.length]!], discount_percent: 1 + (i % 40) };
  const t0 = performance.now();
  const p = await previewAction("sis_discounts_set", input, ctx);
  const t1 = performance.now();
  if (!p.ok) throw new Error(`preview: ${p.error.message}`);
  if (fault) sim.setFault(fault, { scope: "actions", count: 1 });
  const c = await commitAction("sis_discounts_set", p.preview.commit, ctx, `bench-${fault?.kind ?? "ok"}-${i}`, false);
  const t2 = performance.now();
  if (!c.ok) throw new Error(`apply: ${c.error.message}`);
  return { preview: t1 - t0, apply: t2 - t1 };
}

const fmt = (s: ReturnType<typeof summary>): string =>
  `p50 ${s.p50.toFixed(1)} ms  p99 ${s.p99.toFixed(1)} ms  max ${s.max.toFixed(1)} ms  (n=${s.n})`;
try {
  for (let i = 0; i < 20; i++) await round(i, null); // warm-up
  const plain: { preview: number; apply: number }[] = [];
  for (let i = 0; i < N; i++) plain.push(await round(1000 + i, null));
  const after500: number[] = [];
  for (let i = 0; i < FAULTED; i++) after500.push((await round(5000 + i, { kind: "status", status: 500 })).apply);
  const afterLost: number[] = [];
  for (let i = 0; i < FAULTED; i++) afterLost.push((await round(7000 + i, { kind: "lose_response" })).apply);
  const perKey = [...sim.effectsByKey().values()];
  console.log("SIS actions: sis_discounts_set through the Actions API client against the simulator (one product each)");
  console.log(`  preview:                         ${fmt(summary(plain.map((r) => r.preview)))}`);
  console.log(`  apply:                           ${fmt(summary(plain.map((r) => r.apply)))}`);
  console.log(`  apply, first attempt got a 500:  ${fmt(summary(after500))}`);
  console.log(`  apply, first answer lost:        ${fmt(summary(afterLost))}`);
  console.log(`  effects per key: ${perKey.every((n) => n === 1) ? "all 1" : "NOT all 1"} (${perKey.length} keys)`);
} finally {
  await sim.close();
  await scratch.drop();
}
process.exit(0);
