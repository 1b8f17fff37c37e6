import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestEnv, type TestEnv } from "@ownerbot/testkit/harness";
import { ackEscalation, loadNotifySettings, NOTIFY_DEFAULTS, updateNotifySettings } from "./settings.ts";

let env: TestEnv;
beforeAll(async () => {
  env = await createTestEnv();
});
afterAll(async () => {
  await env.close();
});

const count = async (): Promise<number> =>
  (await env.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM owner_notify_settings")).rows[0]!.n;

describe("owner_notify_settings access", () => {
  it("the TypeScript defaults are the table's defaults", async () => {
    // Postgres fills every column of a bare row from 0008; the constant must say the same.
    await env.pool.query("INSERT INTO owner_notify_settings (owner_id) VALUES (999)");
    const { rows } = await env.pool.query<Record<string, unknown>>("SELECT * FROM owner_notify_settings WHERE owner_id = 999");
    const { owner_id: _o, updated_at: _u, updated_by: _b, ...dbDefaults } = rows[0]!;
    expect(dbDefaults).toEqual(NOTIFY_DEFAULTS);
    await env.pool.query("DELETE FROM owner_notify_settings WHERE owner_id = 999");
  });

  it("reads defaults without creating a row", async () => {
    const s = await loadNotifySettings(env.db, 1);
    expect(s.owner_id).toBe(1);
    expect(s.digest_enabled).toBe(false);
    expect(s.digest_time_local).toBe("09:00");
    expect(s.updated_by).toBeNull();
    expect(await count()).toBe(0);
  });

  it("creates the row on the first change and patches only the given columns afterwards", async () => {
    const first = await updateNotifySettings(env.db, 1, { digest_enabled: true, digest_time_local: "08:30" }, 77);
    expect(first).toMatchObject({ owner_id: 1, digest_enabled: true, digest_time_local: "08:30", updated_by: 77 });
    expect(first.weekly_time_local).toBe("09:30");
    const second = await updateNotifySettings(env.db, 1, { weekly_enabled: true }, 78);
    const { rows } = await env.pool.query(
      "SELECT digest_enabled, digest_time_local, weekly_enabled, updated_by FROM owner_notify_settings WHERE owner_id = 1",
    );
    expect(rows).toEqual([{ digest_enabled: true, digest_time_local: "08:30", weekly_enabled: true, updated_by: 78 }]);
    expect(second.updated_at.getTime()).toBeGreaterThanOrEqual(first.updated_at.getTime());
    expect(await loadNotifySettings(env.db, 1)).toEqual(second);
  });

  it("a bad value is refused by the table's checks", async () => {
    await expect(updateNotifySettings(env.db, 1, { digest_time_local: "25:00" }, 77)).rejects.toThrow();
    await expect(updateNotifySettings(env.db, 1, { digest_quiet_attempt_interval_minutes: 5 }, 77)).rejects.toThrow();
  });

  it("acks only an existing incident, with its own key", async () => {
    const now = new Date("2026-11-23T10:00:00Z");
    expect(await ackEscalation(env.db, 2, now, 77)).toBeUndefined();
    expect(await ackEscalation(env.db, 1, now, 77)).toBeUndefined();
    await env.pool.query("UPDATE owner_notify_settings SET escalation_last_event_key = 'fx_failed|oos' WHERE owner_id = 1");
    const acked = await ackEscalation(env.db, 1, now, 77);
    expect(acked).toMatchObject({ escalation_last_ack_key: "fx_failed|oos", escalation_last_ack_at: now });
    expect(await count()).toBe(1);
  });
});
