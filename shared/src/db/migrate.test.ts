import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestEnv, type TestEnv } from "../testing/harness.ts";
import { migrate } from "./migrate.ts";

let t: TestEnv;
beforeAll(async () => {
  t = await createTestEnv();
});
afterAll(async () => t.close());

describe("migrations", () => {
  it("the template is fully migrated and a second run applies nothing", async () => {
    expect(await migrate(t.pool)).toEqual([]);
    const { rows } = await t.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM schema_migrations");
    expect(rows[0]?.n).toBeGreaterThanOrEqual(1);
  });

  it("inbox refuses a second copy of the same update", async () => {
    const insert =
      "INSERT INTO inbox (bot_id, update_id, chat_id, kind, payload) VALUES (1, 42, 7, 'message', '{}') ON CONFLICT DO NOTHING";
    expect((await t.pool.query(insert)).rowCount).toBe(1);
    expect((await t.pool.query(insert)).rowCount).toBe(0);
  });
});
