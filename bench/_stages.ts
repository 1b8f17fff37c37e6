import { startFakeTelegram } from "../shared/src/testing/fake-telegram/index.ts";
import { measureReplies, scratchDb, serviceEnv, startServices, summary, teardown } from "./lib.ts";
const tg = await startFakeTelegram();
const db = await scratchDb("stages");
const svc = startServices(["ingress", "worker-intent", "sender"], serviceEnv(db, tg.apiRoot, { TELEGRAM_POLL_TIMEOUT_SEC: "25" }));
await measureReplies(tg, { n: 30, rate: 20, owner: 1001, texts: ["/start"] });
const lat = await measureReplies(tg, { n: 200, rate: 20, owner: 1001, texts: ["/start"] });
console.log("total", JSON.stringify(summary(lat)));
const { rows } = await db.pool.query(`SELECT i.id, i.attempts ia, o.attempts oa, extract(epoch from (i.done_at - i.received_at))*1000 AS intent, extract(epoch from (o.sent_at - o.created_at))*1000 AS send
  FROM inbox i JOIN outbox o ON o.cause = 'upd:' || i.id WHERE o.method='sendMessage' ORDER BY i.id OFFSET 30`);
const col = (k: string) => summary(rows.map((r: any) => Number(r[k])).sort((a: number, b: number) => a - b));
console.log("intent", JSON.stringify(col("intent")));
console.log("send", JSON.stringify(col("send")));
for (const r of rows) if (Number(r.intent) > 100 || Number(r.send) > 100) console.log(JSON.stringify(r));
for (const h of svc.handles) console.log(h.name, h.output().slice(0, 2000));
await teardown(svc, tg, db);
process.exit(0);
