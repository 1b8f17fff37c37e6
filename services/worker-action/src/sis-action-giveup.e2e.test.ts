import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SisSim } from "@ownerbot/testkit/sis-sim";
import type { ActionChat } from "./testing/action-world.ts";
import { SIS_TEST_ENV, startSisActionWorld, type SisActionWorld } from "./testing/sis-world.ts";

// An action whose every apply reaches SIS and acts, but whose answers are all lost, runs out of
// attempts (ACTION_MAX_ATTEMPTS). SIS did act — once, under the one key every attempt carried — so
// the owner must hear that the outcome is unknown, never «Ничего не изменено».

let sim: SisSim;
let chat: ActionChat;
const env: Record<string, string> = {
  ...SIS_TEST_ENV,
  SIS_BREAKER_THRESHOLD: "50",
  JOB_BACKOFF_BASE_MS: "200",
  JOB_BACKOFF_MAX_MS: "400",
  ACTION_MAX_ATTEMPTS: "2",
};

let world: SisActionWorld | undefined;
beforeAll(async () => {
  world = await startSisActionWorld(env);
  ({ sim, chat } = world);
}, 120_000);
afterAll(async () => {
  await world?.close();
});

describe("SIS acts but every answer is lost", () => {
  it("out of attempts: failed, the outcome called unknown, one effect at SIS under one key", async () => {
    const p = await chat.ask("поставь скидку 10% на товары 7");
    expect(p.text).toContain("SIS (discounts/set)");
    sim.setFault({ kind: "lose_response" }, { scope: "actions" });
    const outcome = await chat.confirm(p);
    sim.setFault(null);
    expect(outcome).toMatch(/^❌ Не выполнено/);
    expect(outcome).toContain("применилось ли изменение — неизвестно");
    expect(outcome).not.toContain("Ничего не изменено");
    expect(sim.effects.map((e) => e.endpoint)).toEqual(["discounts/set"]);
    const keys = new Set(sim.requests.filter((r) => r.path.endsWith("/discounts/set/apply")).map((r) => r.idempotencyKey));
    expect(keys.size).toBe(1);
    expect(sim.requests.filter((r) => r.path.endsWith("/discounts/set/apply")).length).toBeGreaterThan(2);
  });
});
