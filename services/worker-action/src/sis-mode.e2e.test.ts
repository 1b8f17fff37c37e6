import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SisSim } from "@ownerbot/testkit/sis-sim";
import { checkWorld, formatHistory, violated } from "@ownerbot/testkit/history";
import { waitForCalls } from "@ownerbot/testkit/wait";
import { OWNER, type World } from "@ownerbot/testkit/world";
import { startService } from "@ownerbot/testkit/services";
import type { ActionChat } from "./testing/action-world.ts";
import { SIS_TEST_ENV, startSisActionWorld, type SisActionWorld } from "./testing/sis-world.ts";

// The whole bot with UPSTREAM_MODE=SIS_HTTP against the SIS simulator (over the same generated
// shop), then RELIABILITY.md D1/D2: SIS stalls for a stretch of the test. /start and /help keep
// answering at once, SIS-bound reads say «SIS недоступен» within their deadline, a confirmed action
// waits in the queue (the owner is told) and commits once SIS returns — one effect at SIS, its key
// reused — and after the stall the breaker closes and the numbers are SIS's again.

let w: World;
let sim: SisSim;
let chat: ActionChat;
const env: Record<string, string> = {
  ...SIS_TEST_ENV,
  SIS_BREAKER_THRESHOLD: "2",
  SIS_BREAKER_HALF_OPEN_SEC: "1",
  JOB_BACKOFF_BASE_MS: "300",
  JOB_BACKOFF_MAX_MS: "1500",
  ACTION_MAX_ATTEMPTS: "30",
};

let world: SisActionWorld | undefined;
beforeAll(async () => {
  world = await startSisActionWorld(env);
  ({ w, sim, chat } = world);
}, 120_000);
afterAll(async () => {
  await world?.close();
});

const timed = async <T>(f: () => Promise<T>): Promise<{ v: T; ms: number }> => {
  const t0 = Date.now();
  const v = await f();
  return { v, ms: Date.now() - t0 };
};

describe("SIS_HTTP mode against the simulator", () => {
  it("reads come from SIS; a report SIS does not serve says so plainly", async () => {
    await chat.ask("/help");
    const kpi = await chat.ask("kpi за вчера");
    expect(kpi.text).toContain("Данные: SIS");
    expect(sim.requests.some((r) => r.path === "/ownerbot/v1/kpi/summary")).toBe(true);
    const stock = await chat.ask("остатки на складе");
    expect(stock.text).toContain("SIS пока не отдаёт");
    expect(stock.text).not.toContain("Данные: демо");
    // Orders by status go through orders/search (q = status); a preset it cannot express is said so.
    const shipped = await chat.ask("отправленные заказы");
    expect(shipped.text).toContain("Данные: SIS");
    expect(sim.requests.some((r) => r.path === "/ownerbot/v1/orders/search")).toBe(true);
    const stuck = await chat.ask("зависшие заказы");
    expect(stuck.text).toMatch(/SIS пока не отдаёт \(заказы: подборки/);
    expect(stuck.text).not.toContain("Данные: демо");
  });

  it("/sis_check, /shadow_check and /systems report SIS, the comparison and the preflight", async () => {
    const check = await chat.ask("/sis_check");
    expect(check.text).toContain("Проверка SIS: ✅ работает");
    expect(check.text).toContain("Контракт kpi/summary: ✅");
    expect(check.text).not.toContain(sim.apiKey);
    const shadow = await chat.ask("/shadow_check");
    expect(shadow.text).toContain("совпало 4 из 4");
    const systems = await chat.ask("/systems");
    expect(systems.text).toContain("SIS: ✅ работает");
    expect(systems.text).toMatch(/Preflight: (✅|⚠️)/);
  });

  it("preflight: a key SIS rejects stops start-up with preflight_failed (PREFLIGHT_FAIL_FAST)", async () => {
    const svc = startService(
      "worker-intent",
      w.t.env({
        ...env,
        TELEGRAM_API_ROOT: "http://127.0.0.1:9",
        OWNER_IDS: String(OWNER),
        SIS_OWNERBOT_API_KEY: "wrong-key-123",
        PREFLIGHT_FAIL_FAST: "1",
        LOG_LEVEL: "info",
      }),
    );
    expect(await svc.exited).toBe(2);
    expect(svc.output()).toContain('"msg":"preflight"');
    expect(svc.output()).toContain("preflight_failed");
    expect(svc.output()).toContain("SIS_KEY_REJECTED");
    expect(svc.output()).not.toContain("wrong-key-123");
  });

  it("SIS stalls: /start answers fast, reads say «SIS недоступен», a confirmed action waits and commits once SIS returns", async () => {
    const preview = await chat.ask("подними цены на 5 %");
    expect(preview.text).toContain("SIS");
    expect(sim.effects).toHaveLength(0);

    sim.setFault({ kind: "stall" });
    const start = await timed(() => chat.ask("/start"));
    expect(start.v.text).toContain("OwnerBot");
    expect(start.ms).toBeLessThan(2000);
    const read = await timed(() => chat.ask("kpi за вчера"));
    expect(read.v.text).toContain("SIS недоступен");
    expect(read.v.text).not.toMatch(/Выручка/);
    expect(read.ms).toBeLessThan(6000);
    const help = await timed(() => chat.ask("/help"));
    expect(help.ms).toBeLessThan(2000);

    // Confirm while SIS stalls: the owner is told it waits; nothing is applied meanwhile.
    const since = w.tg.lastSeq();
    const done = chat.confirm(preview);
    await waitForCalls(w.tg, (c) => c.ok && c.method === "sendMessage" && /ждёт в очереди/.test(String(c.params.text)), 1, {
      since,
      timeoutMs: 20_000,
    });
    expect(sim.effects).toHaveLength(0);
    sim.heal();
    expect(await done).toMatch(/^✅/);
    expect(sim.effects).toHaveLength(1);
    const keys = new Set(sim.requests.filter((r) => r.path.endsWith("/prices/bump/apply")).map((r) => r.idempotencyKey));
    expect(keys.size).toBe(1);
    expect([...keys][0]).toBeTruthy();

    // After the stall the breaker lets a trial through and closes: SIS's numbers again.
    const after = await chat.ask("kpi за вчера");
    expect(after.text).toContain("Данные: SIS");

    // The sender marks a reply sent a moment after Telegram took it: count once every row is settled.
    await chat.settle();
    const report = await checkWorld(w, { owners: [OWNER], secrets: [sim.apiKey], upstreamEffects: sim.effectsByKey() });
    expect(violated(report, [1, 2, 3, 4, 9]), formatHistory(report)).toEqual([]);
  });

  it("an apply whose answer was lost, or that got a 500, is retried with its key: SIS counts one effect each", async () => {
    for (const kind of ["lose_response", "status"] as const) {
      const before = sim.effects.length;
      const p = await chat.ask("подними цены на 1 %");
      sim.setFault(kind === "status" ? { kind, status: 500 } : { kind }, { scope: "actions", count: 1 });
      expect(await chat.confirm(p)).toMatch(/^✅/);
      expect(sim.effects.length - before).toBe(1);
      const applies = sim.requests.filter((r) => r.path.endsWith("/prices/bump/apply")).slice(-2);
      expect(applies).toHaveLength(2);
      expect(applies[0]!.idempotencyKey).toBe(applies[1]!.idempotencyKey);
    }
  });

  it("AUTO: while SIS stalls the answer comes from DEMO, labelled as demo data", async () => {
    expect((await chat.ask("/upstream_auto")).text).toMatch(/авто/i);
    sim.setFault({ kind: "status", status: 503 });
    const kpi = await chat.ask("kpi за вчера");
    expect(kpi.text).toContain("Демо-данные, не ваш магазин");
    expect(kpi.text).toContain("Данные: демо");
    sim.setFault(null);
    await chat.ask("/upstream_clear");
  });
});
