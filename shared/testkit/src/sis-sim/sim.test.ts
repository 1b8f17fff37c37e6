import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ShopProvider } from "@ownerbot/domain/tools";
import { createSisActions, createSisHttp } from "@ownerbot/domain/sis";
import { startSisSim, type SisSim } from "./server.ts";

// The simulator's own checks, through the real Actions API client: keys, the shop and actor
// allowlists, and idempotency keys (a repeat answers the first result, another body is a 409).

let sim: SisSim;
const products = [
  { productId: "PRD-00001", price: 100 },
  { productId: "PRD-00002", price: 250 },
  { productId: "PRD-00003", price: 0 },
];
beforeAll(async () => {
  sim = await startSisSim({
    // The Actions API never reads the shop's history; the read gateway is tested in shared/domain/src/sis.
    shop: {} as ShopProvider,
    products: () => Promise.resolve(products),
    keys: { "good-key-1": "shop_001", "other-shop-key": "shop_002" },
    allowedShops: ["shop_001"],
    actors: [1001],
  });
});
afterAll(async () => sim?.close());

const client = (apiKey: string) =>
  createSisActions(createSisHttp({ baseUrl: sim.url, apiKey, timeoutMs: 1000, maxRetries: 0, backoffBaseMs: 1, bulkhead: 2 }), { apiKey });
const body = (pct: string, actor = 1001) => ({ actor_tg_id: actor, bump_percent: pct, bump_additive: "0", rounding_mode: "CEIL_INT" });

describe("SIS simulator: Actions API", () => {
  it("checks the key, the key's shop and the actor", async () => {
    await expect(client("nope").preview("prices/bump", body("5"), "c1")).rejects.toMatchObject({ details: { reason: "auth" } });
    await expect(client("other-shop-key").preview("prices/bump", body("5"), "c1")).rejects.toMatchObject({ details: { reason: "auth" } });
    await expect(client("good-key-1").preview("prices/bump", body("5", 42), "c1")).rejects.toMatchObject({ details: { reason: "auth" } });
    const p = await client("good-key-1").preview("prices/bump", body("5"), "c1");
    expect(p.data.affected_count).toBe(2);
    expect(sim.effects).toHaveLength(0);
  });

  it("an apply acts once per key: a repeat returns the first result, another body with the key is a 409", async () => {
    const c = client("good-key-1");
    const first = await c.apply("prices/bump", body("10"), { idempotencyKey: "k-1", correlationId: "c2" });
    const again = await c.apply("prices/bump", body("10"), { idempotencyKey: "k-1", correlationId: "c2" });
    expect(again).toEqual(first);
    expect(sim.effects).toEqual([{ endpoint: "prices/bump", key: "k-1", affected: 2 }]);
    await expect(c.apply("prices/bump", body("20"), { idempotencyKey: "k-1", correlationId: "c3" })).rejects.toMatchObject({
      code: "ACTION_CONFLICT",
      message: /another body/,
    });
    expect(sim.effects).toHaveLength(1);
  });

  it("over 30 % needs force (409 with SIS's reason), a bad decimal is a 422", async () => {
    const c = client("good-key-1");
    const preview = await c.preview("prices/bump", body("40"), "c4");
    expect(preview.warnings.map((w) => w.code)).toContain("FORCE_REQUIRED");
    await expect(c.apply("prices/bump", body("40"), { idempotencyKey: "k-2", correlationId: "c4" })).rejects.toMatchObject({
      code: "ACTION_CONFLICT",
      message: /force required/,
    });
    await expect(c.preview("prices/bump", { ...body("5"), bump_percent: 5 }, "c5")).rejects.toMatchObject({ code: "VALIDATION_ERROR" });
  });
});
