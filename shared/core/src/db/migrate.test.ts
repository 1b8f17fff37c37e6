import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestEnv, type TestEnv } from "@ownerbot/testkit/harness";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { migrate, MigrationChanged } from "./migrate.ts";

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

  it("refuses to run when an applied migration's file has changed", async () => {
    const dir = await mkdtemp(join(tmpdir(), "ob-mig-"));
    await writeFile(join(dir, "0001_inbox_outbox.sql"), "SELECT 1;");
    await expect(migrate(t.pool, dir)).rejects.toBeInstanceOf(MigrationChanged);
    await expect(migrate(t.pool, dir)).rejects.toThrow(/0001_inbox_outbox\.sql changed after it was applied/);
  });
});
