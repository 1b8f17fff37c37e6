import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedDemo } from "@ownerbot/domain/demo";
import { startFakeTelegram, type CallRecord, type FakeTelegram } from "@ownerbot/testkit/fake-telegram";
import { createTestEnv, type TestEnv } from "@ownerbot/testkit/harness";
import { startService, type ServiceHandle } from "@ownerbot/testkit/services";
import { OWNER } from "@ownerbot/testkit/world";
import { isReplyTo, waitForCalls } from "@ownerbot/testkit/wait";

// The whole stack in one process (services/all), as make demo / make run / compose run it by
// default: the same answers as one process per service, and a clean stop on SIGTERM.

let t: TestEnv;
let tg: FakeTelegram;
let all: ServiceHandle;
beforeAll(async () => {
  t = await createTestEnv();
  await seedDemo(t.pool, { scale: 1000, seed: 5, anchorDay: "2026-11-23", timeZone: "Europe/Moscow", currency: "RUB" });
  tg = await startFakeTelegram();
  all = startService(
    "all",
    t.env({
      TELEGRAM_API_ROOT: tg.apiRoot,
      OWNER_IDS: String(OWNER),
      TELEGRAM_POLL_TIMEOUT_SEC: "1",
      OPS_USER: "ops",
      OPS_PASSWORD: "all-in-one-test-password",
      OPS_PORT: "0",
      LOG_LEVEL: "info",
    }),
  );
}, 60_000);
afterAll(async () => {
  await all?.kill("SIGTERM");
  await tg?.close();
  await t?.close();
});

const photoTo = (c: CallRecord): boolean => c.ok && c.method === "sendPhoto" && Number(c.params.chat_id) === OWNER;

describe("all services in one process", () => {
  it("answers /start with the status panel", async () => {
    const since = tg.lastSeq();
    tg.pushText(OWNER, "/start");
    const [reply] = await waitForCalls(tg, isReplyTo(OWNER), 1, { since, timeoutMs: 30_000 });
    expect(String(reply!.params.text)).toContain("OwnerBot");
  }, 40_000);

  it("runs the report worker too: «график выручки» is answered with text, then a chart photo", async () => {
    const since = tg.lastSeq();
    tg.pushText(OWNER, "график выручки");
    const [photo] = await waitForCalls(tg, photoTo, 1, { since, timeoutMs: 60_000 });
    expect(photo).toBeDefined();
  }, 70_000);

  it("logs that every service started in one process, and stops on SIGTERM with code 0", async () => {
    expect(all.output()).toMatch(/all services started in one process/);
    const started = all
      .output()
      .split("\n")
      .filter((l) => l.includes("all services started in one process"))
      .map((l) => (JSON.parse(l) as { services: string[] }).services);
    expect(started).toEqual([["ingress", "worker-intent", "sender", "scheduler", "worker-report", "ops", "worker-action", "worker-asr"]]);
    expect(await all.kill("SIGTERM")).toBe(0);
  }, 20_000);
});
