import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeTelegram, type FakeTelegram } from "@ownerbot/testkit/fake-telegram";
import { createTestEnv, type TestEnv } from "@ownerbot/testkit/harness";
import { startService, type ServiceHandle } from "@ownerbot/testkit/services";
import { until } from "@ownerbot/testkit/wait";

// A storm of button presses over the inbox limits (found by the hostile-input storm): the presses
// turned away as overload must still be answered, or the owner's buttons keep spinning (promise 3).

const OWNER = 1001;
const NOTICE = "Очередь перегружена, попробуй через минуту.";
let t: TestEnv;
let tg: FakeTelegram;
let services: ServiceHandle[] = [];

beforeAll(async () => {
  t = await createTestEnv();
  tg = await startFakeTelegram();
  // No intent worker: nothing drains the inbox, so the limits are reached; the sender delivers.
  const env = t.env({ TELEGRAM_API_ROOT: tg.apiRoot, INBOX_MAX_NEW: "5", INBOX_MAX_TOTAL: "5", TELEGRAM_POLL_TIMEOUT_SEC: "1" });
  services = [startService("ingress", env), startService("sender", env)];
});
afterAll(async () => {
  await Promise.all(services.map((s) => s.kill()));
  await tg?.close();
  await t?.close();
});

describe("overload and callbacks", () => {
  it("answers every press turned away by backpressure exactly once, with the overload text", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 20; i++) ids.push(tg.pushCallback(OWNER, `forged-${i}`).callback_query!.id);
    await until(async () => (await t.pool.query("SELECT 1 FROM inbox")).rowCount === 20);
    const { rows } = await t.pool.query<{ status: string; n: number }>(
      "SELECT status, count(*)::int AS n FROM inbox GROUP BY status ORDER BY status",
    );
    expect(rows).toEqual([
      { status: "new", n: 5 },
      { status: "rejected", n: 15 },
    ]);
    const { rows: rejected } = await t.pool.query<{ cb: string }>(
      "SELECT payload->'callback_query'->>'id' AS cb FROM inbox WHERE status = 'rejected' ORDER BY id",
    );
    const answeredIds = () => tg.callbackAnswers().map((a) => a.callback_query_id);
    await until(async () => answeredIds().length >= rejected.length);
    await new Promise((r) => setTimeout(r, 300));
    expect(answeredIds().sort()).toEqual(rejected.map((r) => r.cb).sort());
    expect(new Set(tg.callbackAnswers().map((a) => a.text))).toEqual(new Set([NOTICE]));
    // The five accepted presses wait for a worker; every press is one of the two.
    expect(ids.filter((id) => !answeredIds().includes(id))).toHaveLength(5);
  });
});
