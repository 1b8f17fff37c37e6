import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createDemoProvider } from "../tools/demo-provider.ts";
import { runTool } from "../tools/index.ts";
import { seededShop, SHOP, type TestShop } from "@ownerbot/testkit/test-shop";
import { startSisSim, type SisSim } from "@ownerbot/testkit/sis-sim";
import { createSisHttp, reasonOf, type SisHttpOptions } from "./http.ts";
import { createSisReadProvider } from "./read-provider.ts";

// RELIABILITY.md D2 at the provider: whatever SIS does wrong becomes UPSTREAM_UNAVAILABLE with a
// Russian reason, never a crash and never a number; the breaker opens and closes; a stall costs
// one deadline and the bulkhead refuses what does not fit.

let shop: TestShop;
let sim: SisSim;
beforeAll(async () => {
  shop = await seededShop(1000);
  sim = await startSisSim({ shop: createDemoProvider(shop.env.db), timeZone: SHOP.timeZone });
}, 120_000);
afterAll(async () => {
  await sim?.close();
  await shop?.env.close();
});
beforeEach(() => sim.heal());

function provider(o: Partial<SisHttpOptions> = {}) {
  const http = createSisHttp({
    baseUrl: sim.url,
    apiKey: sim.apiKey,
    timeoutMs: 400,
    maxRetries: 2,
    backoffBaseMs: 20,
    bulkhead: 4,
    breakerThreshold: 3,
    breakerHalfOpenMs: 300,
    ...o,
  });
  return {
    http,
    sis: createSisReadProvider(http, { apiKey: sim.apiKey, timeZone: SHOP.timeZone, local: createDemoProvider(shop.env.db) }),
  };
}

async function failure(p: Promise<unknown>) {
  try {
    await p;
  } catch (e) {
    return { code: (e as { code?: string }).code, reason: reasonOf(e), message: (e as Error).message };
  }
  throw new Error("expected a failure");
}

describe("SIS faults at the provider", () => {
  it("malformed JSON and a wrong schema never become numbers", async () => {
    const { sis } = provider({ maxRetries: 0 });
    for (const kind of ["malformed", "wrong_schema"] as const) {
      sim.setFault({ kind });
      const f = await failure(sis.kpiDays("2026-11-01", "2026-11-20"));
      expect(f).toMatchObject({ code: "UPSTREAM_UNAVAILABLE", reason: kind === "malformed" ? "json" : "schema" });
      expect(f.message).not.toMatch(/\d{3,}/);
      const tool = await runTool("kpi_snapshot", {}, { ...shop.ctx, provider: sis });
      expect(tool.ok).toBe(false);
      if (!tool.ok) expect(tool.error.code).toBe("UPSTREAM_UNAVAILABLE");
    }
  });

  it("a 500 is retried with backoff and the read succeeds; a wrong key is not retried", async () => {
    const { sis } = provider();
    sim.setFault({ kind: "status", status: 500 }, { count: 2 });
    const before = sim.requests.length;
    expect((await sis.ping()).shopId).toBe("shop_001");
    expect(sim.requests.length - before).toBe(3);
    const wrong = createSisReadProvider(
      createSisHttp({ baseUrl: sim.url, apiKey: "nope", timeoutMs: 400, maxRetries: 2, backoffBaseMs: 10, bulkhead: 2 }),
      {
        apiKey: "nope",
        timeZone: SHOP.timeZone,
        local: createDemoProvider(shop.env.db),
      },
    );
    const at = sim.requests.length;
    expect(await failure(wrong.ping())).toMatchObject({ code: "UPSTREAM_UNAVAILABLE", reason: "auth" });
    expect(sim.requests.length - at).toBe(1);
  });

  it("a stall costs one deadline per attempt; the breaker opens, answers at once, then closes", async () => {
    const { sis, http } = provider({ maxRetries: 0 });
    sim.setFault({ kind: "stall" });
    for (let i = 0; i < 3; i++) {
      const t0 = Date.now();
      expect(await failure(sis.ping())).toMatchObject({ reason: "timeout" });
      expect(Date.now() - t0).toBeLessThan(1000);
    }
    expect(http.breakerState()).toBe("open");
    const t1 = Date.now();
    expect(await failure(sis.ping())).toMatchObject({ reason: "breaker_open", message: /SIS недоступен/ });
    expect(Date.now() - t1).toBeLessThan(50);
    sim.heal();
    await new Promise((r) => setTimeout(r, 350));
    expect((await sis.ping()).shopId).toBe("shop_001");
    expect(http.breakerState()).toBe("closed");
  });

  it("the bulkhead refuses calls beyond its slots at once while SIS stalls", async () => {
    const { sis } = provider({ bulkhead: 2, maxRetries: 0, timeoutMs: 600, breakerThreshold: 50 });
    sim.setFault({ kind: "stall" });
    const held = [sis.ping(), sis.ping()].map((p) => failure(p));
    const t0 = Date.now();
    expect(await failure(sis.ping())).toMatchObject({ reason: "busy" });
    expect(Date.now() - t0).toBeLessThan(50);
    expect((await Promise.all(held)).map((f) => f.reason)).toEqual(["timeout", "timeout"]);
  });

  it("a read budget stops retries: flapping and slow SIS cost at most the budget", async () => {
    const http = createSisHttp({
      baseUrl: sim.url,
      apiKey: sim.apiKey,
      timeoutMs: 300,
      maxRetries: 5,
      backoffBaseMs: 200,
      bulkhead: 4,
      breakerThreshold: 50,
    });
    const sis = createSisReadProvider(http, {
      apiKey: sim.apiKey,
      timeZone: SHOP.timeZone,
      local: createDemoProvider(shop.env.db),
      budgetMs: 500,
    });
    sim.setFault({ kind: "slow", ms: 2000 });
    const t0 = Date.now();
    expect(await failure(sis.ping())).toMatchObject({ reason: "timeout" });
    expect(Date.now() - t0).toBeLessThan(800);
    sim.setFault({ kind: "flapping" });
    // Every other request fails: with retries the read gets through.
    expect((await sis.ping()).shopId).toBe("shop_001");
  });
});
