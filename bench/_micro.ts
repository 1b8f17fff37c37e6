import { scratchDb, sleep } from "./lib.ts";
import { claimChat, insertBatchAndAdvance } from "../shared/src/db/inbox.queries.ts";
import { finishIntent, claimOutboxChat, markSent } from "../shared/src/db/outbox.queries.ts";
const db = await scratchDb("micro");
const t: Record<string, number[]> = {};
const time = async <T>(k: string, f: () => Promise<T>): Promise<T> => { const s = performance.now(); const r = await f(); (t[k] ??= []).push(performance.now() - s); return r; };
for (let i = 1; i <= 300; i++) {
  await time("insert", () => insertBatchAndAdvance(db.pool, 1, [{ updateId: i, chatId: 5, userId: 5, kind: "text", payload: { update_id: i, message: { text: "/start" } } }], i + 1, { windowSec: 60, text: "x" }));
  const rows = await time("claim", () => claimChat(db.pool, 5, "w:a", 30, 50));
  const fin = await time("finish", () => finishIntent(db.pool, { claimer: "w:a", doneIds: rows.map(r => r.id), deadIds: [], outbox: [{ cause: `upd:${rows[0]!.id}`, seq: 0, chatId: 5, method: "sendMessage", payload: { chat_id: 5, text: "hello" } }], tokens: [{ token: `tok${i}`, chatId: 5, payload: { t: "nav", to: "home" }, ttlSec: 60 }], audits: [] }));
  const ob = await time("oclaim", () => claimOutboxChat(db.pool, 5, "s:a", 30, 20));
  await time("markSent", () => markSent(db.pool, ob[0]!.id, i));
  await time("select1", () => db.pool.query("SELECT 1"));
  void fin;
  if (i % 50 === 0) await sleep(10);
}
for (const [k, v] of Object.entries(t)) { const s = v.slice(50).sort((a, b) => a - b); console.log(k.padEnd(10), "p50", s[Math.floor(s.length / 2)]!.toFixed(2), "p90", s[Math.floor(s.length * 0.9)]!.toFixed(2)); }
await db.drop(); process.exit(0);
