// SIS stall (RELIABILITY.md D1): /start reply latency while SIS accepts connections and never
// answers, beside the same with SIS healthy; and the SIS_HTTP kpi_snapshot question → answer p50
// against the simulator. A second owner keeps asking SIS-bound questions during the stall, so the
// stalled calls hold what the bulkhead lets them hold while /start is measured.
import { createDb } from "@ownerbot/core/db";
import { seedDemo } from "@ownerbot/domain/demo";
import { createDemoProvider } from "@ownerbot/domain/tools";
import { startFakeTelegram } from "@ownerbot/testkit/fake-telegram";
import { startSisSim } from "@ownerbot/testkit/sis-sim";
import { measureReplies, scratchDb, serviceEnv, sleep, startServices, summary, teardown } from "./lib.ts";

const N = Number(process.env.N ?? 200);
const RATE = Number(process.env.RATE ?? 20);
const OWNER = 1001;
const OTHER = 1002;

const tg = await startFakeTelegram();
const db = await scratchDb("sisstall");
await seedDemo(db.pool, { scale: 1000, seed: 5, anchorDay: "2026-11-23", timeZone: "Europe/Moscow", currency: "RUB" });
const sim = await startSisSim({ shop: createDemoProvider(createDb(db.pool)), actors: [OWNER] });
const svc = startServices(
  ["ingress", "worker-intent", "sender"],
  serviceEnv(db, tg.apiRoot, {
    OWNER_IDS: `${OWNER},${OTHER}`,
    UPSTREAM_MODE: "SIS_HTTP",
    SIS_BASE_URL: sim.url,
    SIS_OWNERBOT_API_KEY: sim.apiKey,
    SIS_TIMEOUT_SEC: process.env.SIS_TIMEOUT_SEC ?? "3",
    SIS_MAX_RETRIES: "1",
    TELEGRAM_POLL_TIMEOUT_SEC: "25",
  }),
);
const fmt = (s: ReturnType<typeof summary>): string =>
  `p50 ${s.p50.toFixed(1)} ms  p99 ${s.p99.toFixed(1)} ms  max ${s.max.toFixed(1)} ms  (n=${s.n})`;
try {
  await measureReplies(tg, { n: 30, rate: RATE, owner: OWNER, texts: ["/start"] }); // warm-up
  const healthy = summary(await measureReplies(tg, { n: N, rate: RATE, owner: OWNER, texts: ["/start"] }));
  await measureReplies(tg, { n: 5, rate: 2, owner: OWNER, texts: ["kpi за вчера"] });
  const kpi = summary(await measureReplies(tg, { n: 40, rate: 4, owner: OWNER, texts: ["kpi за вчера"] }));

  sim.setFault({ kind: "stall" });
  let pushing = true;
  const background = (async () => {
    while (pushing) {
      tg.pushText(OTHER, "kpi за вчера");
      await sleep(250);
    }
  })();
  await sleep(1000);
  const stalled = summary(await measureReplies(tg, { n: N, rate: RATE, owner: OWNER, texts: ["/start"] }));
  const held = sim.stalled();
  pushing = false;
  await background;
  sim.heal();

  console.log(`SIS stall: /start pushed → sendMessage seen, ${RATE} msg/s; SIS_HTTP against the simulator`);
  console.log(`  /start, SIS healthy:                      ${fmt(healthy)}`);
  console.log(`  /start, SIS stalled (other owner asking):  ${fmt(stalled)}  — SIS requests hanging at the end: ${held}`);
  console.log(`  kpi_snapshot question → answer, SIS healthy: ${fmt(kpi)}`);
  console.log(`  target: /start p99 ≤ 200 ms while SIS stalls → ${stalled.p99 <= 200 ? "MET" : "NOT MET"}`);
} finally {
  await teardown(svc, tg, db);
  await sim.close();
}
process.exit(0);
