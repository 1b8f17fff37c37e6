import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeTelegram, type FakeTelegram } from "@ownerbot/testkit/fake-telegram";
import { createTestEnv, type TestEnv } from "@ownerbot/testkit/harness";
import { startService, type ServiceHandle } from "@ownerbot/testkit/services";
import { until } from "@ownerbot/testkit/wait";

let t: TestEnv;
let tg: FakeTelegram;
let ingress: ServiceHandle;

beforeAll(async () => {
  t = await createTestEnv();
  tg = await startFakeTelegram();
  // Only the ingress runs: nothing drains the inbox, so the limits are reached.
  ingress = startService(
    "ingress",
    t.env({
      TELEGRAM_API_ROOT: tg.apiRoot,
      INBOX_MAX_NEW: "5",
      INBOX_MAX_TOTAL: "5",
      TELEGRAM_POLL_TIMEOUT_SEC: "1",
      OVERLOAD_NOTICE_WINDOW_SEC: "3600",
    }),
  );
});
afterAll(async () => {
  await ingress?.kill();
  await tg?.close();
  await t?.close();
});

describe("backpressure", () => {
  it("stores overflow as rejected, drops nothing, and tells each chat once per window", async () => {
    for (let i = 0; i < 8; i++) tg.pushText(1001, `/start ${i}`);
    for (let i = 0; i < 3; i++) tg.pushText(1002, `/start ${i}`);
    await until(async () => (await t.pool.query("SELECT 1 FROM inbox")).rowCount === 11);
    for (let i = 0; i < 4; i++) tg.pushText(1002, `/help ${i}`);
    await until(async () => (await t.pool.query("SELECT 1 FROM inbox")).rowCount === 15);

    const { rows: byStatus } = await t.pool.query<{ status: string; n: number }>(
      "SELECT status, count(*)::int AS n FROM inbox GROUP BY status ORDER BY status",
    );
    expect(byStatus).toEqual([
      { status: "new", n: 5 },
      { status: "rejected", n: 10 },
    ]);
    const { rows: notices } = await t.pool.query<{ chat_id: number; text: string }>(
      "SELECT chat_id, payload->>'text' AS text FROM outbox ORDER BY chat_id",
    );
    expect(notices).toEqual([
      { chat_id: 1001, text: "Очередь перегружена, попробуй через минуту." },
      { chat_id: 1002, text: "Очередь перегружена, попробуй через минуту." },
    ]);
  });
});
