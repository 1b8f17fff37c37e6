// Actions: confirm press → outcome edit seen (preview → ✅ → worker-action → edit of the preview),
// DEMO provider, beside a read tool's button press → reply measured in the same run; then the
// 100 actions × 50 concurrent presses storm (RELIABILITY C1), beside 5 000 read-button presses.
import { seedDemo } from "@ownerbot/domain/demo";
import { startFakeTelegram, type CallRecord, type FakeTelegram } from "@ownerbot/testkit/fake-telegram";
import { answered, previewMany, pressStorm } from "@ownerbot/testkit/confirm-storm";
import { buttonData } from "@ownerbot/testkit/owner-chat";
import { waitForCalls } from "@ownerbot/testkit/wait";
import { scratchDb, serviceEnv, sleep, startServices, summary, teardown } from "./lib.ts";

const N = Number(process.env.N ?? 100);
const OWNER = 1001;

const mid = (c: CallRecord): number => (c.result as { message_id: number }).message_id;

/** Sends `text`, returns its first reply that has buttons. */
async function ask(tg: FakeTelegram, text: string): Promise<CallRecord> {
  const since = tg.lastSeq();
  tg.pushText(OWNER, text);
  const [c] = await waitForCalls(tg, (x) => x.ok && x.method === "sendMessage" && x.params.reply_markup !== undefined, 1, { since });
  return c!;
}

/** Where a confirm's time goes: press → answer, → "Выполняю…", → outcome (epoch ms of the fake's answers). */
const phases: { answer: number; running: number; outcome: number }[] = [];

/** ✅ on a fresh preview → the ✅ outcome edit of that message. */
async function confirmLatency(tg: FakeTelegram, product: string): Promise<number> {
  const p = await ask(tg, `подними цену товара ${product} на 100`);
  const since = tg.lastSeq();
  const t0 = performance.now();
  const at0 = Date.now();
  tg.pushCallback(OWNER, buttonData(p.params, /Подтвердить/), { messageId: mid(p) });
  const [out] = await waitForCalls(
    tg,
    (c) => c.ok && c.method === "editMessageText" && c.params.message_id === mid(p) && /^✅/.test(String(c.params.text)),
    1,
    { since },
  );
  const ms = performance.now() - t0;
  const calls = tg.calls(since);
  const at = (f: (c: CallRecord) => boolean): number => (calls.find(f)?.at ?? NaN) - at0;
  phases.push({
    answer: at((c) => c.method === "answerCallbackQuery"),
    running: at((c) => /Выполняю/.test(String(c.params.text))),
    outcome: out!.at - at0,
  });
  return ms;
}

/** A clarify button that runs a read tool («выручка» → its first button, a KPI of a day) → its reply. */
async function readLatency(tg: FakeTelegram): Promise<number> {
  const q = await ask(tg, "выручка");
  const since = tg.lastSeq();
  const t0 = performance.now();
  tg.pushCallback(OWNER, buttonData(q.params, /.*/), { messageId: mid(q) });
  await waitForCalls(tg, (c) => c.ok && c.method === "sendMessage" && Number(c.params.chat_id) === OWNER, 1, { since });
  return performance.now() - t0;
}

async function run(): Promise<void> {
  const tg = await startFakeTelegram();
  const db = await scratchDb("actions");
  await seedDemo(db.pool, { scale: 1000, seed: 5, anchorDay: "2026-11-23", timeZone: "Europe/Moscow", currency: "RUB" });
  const { rows } = await db.pool.query<{ product_id: string }>(
    "SELECT product_id FROM demo_products WHERE price >= 500 ORDER BY product_id LIMIT 20",
  );
  const products = rows.map((r) => r.product_id);
  const svc = startServices(
    ["ingress", "worker-intent", "sender", "worker-action"],
    serviceEnv(db, tg.apiRoot, { TELEGRAM_POLL_TIMEOUT_SEC: "25" }),
  );
  try {
    for (let i = 0; i < 10; i++) {
      await readLatency(tg); // warm-up: JIT, pools, prepared plans
      await confirmLatency(tg, products[i % products.length]!);
    }
    const read: number[] = [];
    const act: number[] = [];
    for (let i = 0; i < N; i++) {
      read.push(await readLatency(tg));
      act.push(await confirmLatency(tg, products[i % products.length]!));
    }
    const fmt = (s: ReturnType<typeof summary>): string =>
      `p50 ${s.p50.toFixed(1)} ms  p99 ${s.p99.toFixed(1)} ms  max ${s.max.toFixed(1)} ms  (n=${s.n})`;
    const a = summary(act);
    console.log("button press → reply, one at a time, DEMO provider");
    console.log(`  baseline read tool («выручка» → first button → KPI reply): ${fmt(summary(read))}`);
    console.log(`  action confirm (✅ → worker-action → outcome edit):      ${fmt(a)}`);
    console.log(`  target: action p50 ≤ 30 ms → ${a.p50 <= 30 ? "MET" : "NOT MET"}`);
    const ph = (k: keyof (typeof phases)[number]): string => `p50 ${summary(phases.slice(10).map((x) => x[k])).p50.toFixed(0)} ms`;
    console.log(`  where it goes: press → answer ${ph("answer")}, → "Выполняю…" ${ph("running")}, → outcome ${ph("outcome")}`);

    // Read-button storm as the baseline of the confirm storm: the same number of presses.
    const q = await ask(tg, "выручка");
    await sleep(200);
    const t1 = performance.now();
    const readIds = new Map<string, number>();
    for (let i = 0; i < 5000; i++) {
      const u = tg.pushCallback(OWNER, buttonData(q.params, /.*/), { messageId: mid(q) });
      if (u.callback_query) readIds.set(u.callback_query.id, 0);
    }
    await answered(tg, readIds, 600_000);
    const readStormMs = performance.now() - t1;

    const previews = await previewMany(
      tg,
      OWNER,
      Array.from({ length: 100 }, (_, i) => `подними цену товара ${products[i % products.length]!} на 100`),
    );
    const t2 = performance.now();
    const presses = pressStorm(tg, OWNER, previews, 50);
    await answered(tg, presses, 600_000);
    for (;;) {
      const r = await db.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM actions WHERE status IN ('confirmed', 'in_progress')");
      if (r.rows[0]!.n === 0) break;
      await sleep(20);
    }
    const stormMs = performance.now() - t2;
    const ledger = await db.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM demo_action_ledger");
    console.log("storms, pushed at once into one owner chat");
    console.log(`  baseline 5 000 presses of a read button (each answered, each a KPI reply): ${Math.round(readStormMs)} ms`);
    console.log(`  100 actions × 50 presses (5 000 answered, 100 committed):                 ${Math.round(stormMs)} ms`);
    console.log(`  DEMO ledger effects after the whole run: ${ledger.rows[0]!.n} (= ${10 + N + 100} actions confirmed)`);
  } finally {
    await teardown(svc, tg, db);
  }
}

await run();
process.exit(0);
