import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestEnv, type TestEnv } from "@ownerbot/testkit/harness";
import { seedDemo } from "@ownerbot/domain/demo";
import { createLogger } from "@ownerbot/core/logger";
import { runTick, type TickDeps } from "./tick.ts";

// The scheduler's tick is the live demo shop's clock: each tick brings the shop to now before the
// owners' digests and alerts read it.

const AS_OF = new Date("2026-11-23T09:00:00Z");
let t: TestEnv;
let deps: TickDeps;
beforeAll(async () => {
  t = await createTestEnv();
  await seedDemo(t.pool, { scale: 1000, seed: 3, asOf: AS_OF, timeZone: "Europe/Moscow", currency: "RUB", live: true });
  const shop = { shopId: "demo", currency: "RUB", timeZone: "Europe/Moscow", locale: "ru-RU" };
  deps = { pool: t.pool, db: t.db, shop, ownerIds: [1001], log: createLogger({ name: "test", level: "silent", secrets: [] }) };
}, 120_000);
afterAll(async () => t?.close());

describe("the tick and the live demo shop", () => {
  it("moves the shop's clock to the tick's time, with the orders of those hours", async () => {
    const now = new Date(AS_OF.getTime() + 5 * 3_600_000);
    expect(await runTick(deps, now)).toMatchObject({ ran: true, errors: 0 });
    const meta = (await t.pool.query<{ as_of: Date }>("SELECT as_of FROM demo_meta")).rows[0]!;
    expect(meta.as_of).toEqual(now);
    const fresh = (await t.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM demo_orders WHERE created_at > $1", [AS_OF])).rows[0]!;
    expect(fresh.n).toBeGreaterThan(0);
  });
});
