import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createTestEnv, type TestEnv } from "@ownerbot/testkit/harness";
import { seedDemo } from "@ownerbot/domain/demo";
import { refreshReadRollups } from "@ownerbot/domain/tools";
import { createLogger } from "@ownerbot/core/logger";
import type { ShopSettings } from "@ownerbot/domain/contract";
import { ackEscalation } from "@ownerbot/domain/notify";
import { runTick, TICK_LOCK_KEY, type TickDeps } from "./tick.ts";

// The tick against a real database: each feature writes its message and advances its state in one
// statement, a second tick writes nothing, and overlapping ticks are kept apart by the lock.

const OWNER = 1001;
const SHOP: ShopSettings = { shopId: "demo", currency: "RUB", timeZone: "Europe/Moscow", locale: "ru-RU" };
const ANCHOR = "2026-11-23";
// Monday 23 November 2026, 15:00 in Moscow.
const NOW = new Date("2026-11-23T12:00:00Z");
const H = 3_600_000;

let t: TestEnv;
let deps: TickDeps;
beforeAll(async () => {
  t = await createTestEnv();
  await seedDemo(t.pool, { scale: 1000, seed: 7, anchorDay: ANCHOR, timeZone: SHOP.timeZone, currency: SHOP.currency });
  await refreshReadRollups(t.db, { wait: true });
  deps = { pool: t.pool, db: t.db, shop: SHOP, ownerIds: [OWNER], log: createLogger({ name: "test", level: "silent", secrets: [] }) };
}, 120_000);
afterAll(async () => t?.close());
beforeEach(async () => {
  await t.pool.query("DELETE FROM owner_notify_settings; DELETE FROM outbox; DELETE FROM audit_events; DELETE FROM report_jobs");
});

async function settings(cols: Record<string, unknown>): Promise<void> {
  const names = Object.keys(cols);
  await t.pool.query(
    `INSERT INTO owner_notify_settings (owner_id, ${names.join(", ")}) VALUES ($1, ${names.map((_, i) => `$${i + 2}`).join(", ")})`,
    [OWNER, ...Object.values(cols)],
  );
}
async function outbox(): Promise<{ cause: string; seq: number; chat_id: number; method: string; text: string }[]> {
  const r = await t.pool.query("SELECT cause, seq, chat_id, method, payload->>'text' AS text FROM outbox ORDER BY id");
  return r.rows as { cause: string; seq: number; chat_id: number; method: string; text: string }[];
}
async function row(): Promise<Record<string, unknown>> {
  return (await t.pool.query("SELECT * FROM owner_notify_settings WHERE owner_id = $1", [OWNER])).rows[0] as Record<string, unknown>;
}
async function audits(type: string): Promise<number> {
  return (await t.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM audit_events WHERE event_type = $1", [type])).rows[0]!.n;
}

describe("daily digest", () => {
  it("a digest whose time has passed is written once, with the week's net revenue, and its state advanced", async () => {
    await settings({ digest_enabled: true, digest_time_local: "09:00" });
    const r1 = await runTick(deps, NOW);
    expect(r1).toMatchObject({ ran: true, owners: 1, errors: 0 });
    const rows = await outbox();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ cause: `ntf:digest:${OWNER}:2026-11-23`, seq: 0, chat_id: OWNER, method: "sendMessage" });
    const { rows: k } = await t.pool.query<{ net: number }>(
      // The seven full days before today, which is still going.
      "SELECT sum(revenue_net)::float AS net FROM demo_kpi_daily WHERE day > date '2026-11-22' - 7 AND day <= date '2026-11-22'",
    );
    expect(rows[0]!.text.replace(/[\s\u00a0\u202f]/g, "")).toContain(String(Math.round(k[0]!.net)));
    expect((await row()).digest_last_sent_at).toEqual(NOW);
    expect(await audits("notify_digest_sent_v2")).toBe(1);

    // Later the same day, and a repeat of the same instant: nothing new.
    expect((await runTick(deps, new Date(NOW.getTime() + 5 * H))).sent).toBe(0);
    expect((await runTick(deps, NOW)).sent).toBe(0);
    expect(await outbox()).toHaveLength(1);
    // The next local day after 09:00 (06:00 UTC): the next digest.
    await runTick(deps, new Date("2026-11-24T06:00:00Z"));
    expect((await outbox()).map((o) => o.cause)).toEqual([`ntf:digest:${OWNER}:2026-11-23`, `ntf:digest:${OWNER}:2026-11-24`]);
  });

  it("a digest before its time is not sent; png/pdf formats ask the report worker in the same statement", async () => {
    await settings({ digest_enabled: true, digest_time_local: "16:00", digest_format: "pdf" });
    await runTick(deps, NOW);
    expect(await outbox()).toHaveLength(0);
    await runTick(deps, new Date(NOW.getTime() + H));
    expect(await outbox()).toHaveLength(1);
    const jobs = await t.pool.query<{ cause: string; chat_id: number; filename: string; format: string }>(
      "SELECT cause, chat_id, request->>'filename' AS filename, request->>'format' AS format FROM report_jobs",
    );
    expect(jobs.rows).toEqual([
      { cause: `ntf:digest:${OWNER}:2026-11-23:pdf`, chat_id: OWNER, filename: "daily_digest.pdf", format: "pdf" },
    ]);
  });

  it("a quiet digest with nothing to report is skipped and retried after its interval", async () => {
    const { rows } = await t.pool.query<{ a: number; b: number }>(
      `SELECT sum(revenue_net) FILTER (WHERE day > date '2026-11-23' - 7)::float AS a,
              sum(revenue_net) FILTER (WHERE day <= date '2026-11-23' - 7)::float AS b
       FROM demo_kpi_daily WHERE day > date '2026-11-23' - 14 AND day <= date '2026-11-23'`,
    );
    expect((rows[0]!.a / rows[0]!.b - 1) * 100).toBeGreaterThan(-50); // so the revenue rule cannot fire
    await settings({
      digest_enabled: true,
      digest_quiet_enabled: true,
      digest_quiet_min_revenue_drop_pct: 50,
      digest_quiet_min_orders_drop_pct: 50,
      digest_quiet_send_on_ops: false,
      digest_quiet_send_on_errors: false,
      digest_quiet_send_on_fx_failed: false,
      digest_last_sent_at: new Date(NOW.getTime() - 24 * H),
    });
    await runTick(deps, NOW);
    expect(await outbox()).toHaveLength(0);
    expect(await row()).toMatchObject({ digest_last_skipped_at: NOW, digest_last_attempt_at: NOW });
    expect(await audits("notify_digest_skipped_quiet")).toBe(1);
    await runTick(deps, new Date(NOW.getTime() + 30 * 60_000));
    expect(await audits("notify_digest_skipped_quiet")).toBe(1); // within the 60-minute interval
    await runTick(deps, new Date(NOW.getTime() + H));
    expect(await audits("notify_digest_skipped_quiet")).toBe(2);
  });
});

describe("ops alerts and escalation", () => {
  it("an ops alert is sent once; a changed key waits for the cooldown", async () => {
    await settings({ ops_alerts_enabled: true, ops_alerts_cooldown_hours: 6 });
    await runTick(deps, NOW);
    const first = await outbox();
    expect(first).toHaveLength(1);
    expect(first[0]!.cause).toMatch(new RegExp(`^ntf:ops:${OWNER}:[0-9a-f]{16}$`));
    expect(first[0]!.text).toContain("Операционные сигналы");
    expect(await audits("notify_ops_alert_sent")).toBe(1);
    await runTick(deps, new Date(NOW.getTime() + 60_000)); // same hour, same key
    await runTick(deps, new Date(NOW.getTime() + 2 * H)); // new hour bucket, inside the cooldown
    expect(await outbox()).toHaveLength(1);
    await runTick(deps, new Date(NOW.getTime() + 6 * H));
    expect(await outbox()).toHaveLength(2);
  });

  it("escalation remembers a new incident, sends stage 1 after stage1_after_minutes, then stays quiet after an ack", async () => {
    const { rows } = await t.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM demo_products WHERE published AND stock_qty <= 0");
    expect(rows[0]!.n).toBeGreaterThan(0); // the out-of-stock reason fires on this shop
    await settings({ escalation_enabled: true, escalation_stage1_after_minutes: 120 });
    await runTick(deps, NOW);
    expect(await outbox()).toHaveLength(0);
    const remembered = await row();
    expect(remembered.escalation_last_event_key).toMatch(/out_of_stock/);
    expect(remembered.escalation_first_seen_at).toEqual(NOW);
    await runTick(deps, new Date(NOW.getTime() + 119 * 60_000));
    expect(await outbox()).toHaveLength(0);
    await runTick(deps, new Date(NOW.getTime() + 120 * 60_000));
    const sent = await outbox();
    expect(sent).toHaveLength(1);
    expect(sent[0]!.cause).toMatch(new RegExp(`^ntf:esc:${OWNER}:[0-9a-f]{16}:1$`));
    expect(sent[0]!.text).toContain("этап 1");
    expect(await row()).toMatchObject({ escalation_repeat_count: 1 });
    // The owner answers «принято» (ntf_escalation_ack): this incident is not repeated.
    expect(await ackEscalation(t.db, OWNER, new Date(NOW.getTime() + 3 * H), OWNER)).toBeDefined();
    await runTick(deps, new Date(NOW.getTime() + 10 * H));
    expect(await outbox()).toHaveLength(1);
  });
});

/** Each base's latest rate to RUB and the one before, biggest move first (ties: alphabetical). */
async function latestRates(): Promise<{ base: string; rate: number; prev: number }[]> {
  const { rows } = await t.pool.query<{ base: string; rate: number; prev: number }>(
    `WITH r AS (
       SELECT base, rate::float AS rate, lag(rate::float) OVER (PARTITION BY base ORDER BY day) AS prev,
              row_number() OVER (PARTITION BY base ORDER BY day DESC) AS n
       FROM demo_fx_rates WHERE quote = 'RUB' AND day <= date '2026-11-23')
     SELECT base, rate, prev FROM r WHERE n = 1 AND prev IS NOT NULL ORDER BY abs(rate / prev - 1) DESC, base`,
  );
  return rows;
}

describe("FX delta and failures", () => {
  it("the first FX notice tells the watched rate and stores it; an unchanged rate is not repeated", async () => {
    // No rate told yet: the base that moved most since its previous rate (ties: alphabetical), as the subscribe tool seeds it.
    const { rows } = await t.pool.query<{ base: string; rate: number }>(
      `WITH r AS (
         SELECT base, rate::float AS rate, lag(rate::float) OVER (PARTITION BY base ORDER BY day) AS prev,
                row_number() OVER (PARTITION BY base ORDER BY day DESC) AS n
         FROM demo_fx_rates WHERE quote = 'RUB' AND day <= date '2026-11-23')
       SELECT base, rate FROM r WHERE n = 1 ORDER BY coalesce(abs(rate / prev - 1), -1) DESC, base LIMIT 1`,
    );
    const rate = rows[0]!.rate;
    await settings({ fx_delta_enabled: true });
    await runTick(deps, NOW);
    const sent = await outbox();
    expect(sent).toHaveLength(1);
    expect(sent[0]!.cause).toMatch(new RegExp(`^ntf:fxd:${OWNER}:[0-9a-f]{16}$`));
    expect(Number((await row()).fx_delta_last_notified_rate)).toBeCloseTo(rate, 6);
    expect((await row()).fx_delta_base).toBe(rows[0]!.base);
    expect(sent[0]!.text).toContain(`${rows[0]!.base}/RUB`);
    expect(await audits("notify_fx_delta_sent")).toBe(1);
    await runTick(deps, new Date(NOW.getTime() + 7 * H));
    expect(await outbox()).toHaveLength(1);
  });

  it("compares the stored base's rate even when another currency moved more", async () => {
    const r = await latestRates();
    const mover = r[0]!;
    const calm = r.at(-1)!;
    expect(mover.base).not.toBe(calm.base);
    expect(Math.abs(mover.rate / mover.prev - 1) * 100).toBeGreaterThan(0.01); // the mover alone would alert at 0.01 %
    // A base chosen while no rate was known (the subscribe tool with rates unreadable): the first
    // notice is that base's rate, not the mover's.
    await settings({ fx_delta_enabled: true, fx_delta_min_percent: 0.01, fx_delta_base: calm.base });
    await runTick(deps, NOW);
    const first = await outbox();
    expect(first).toHaveLength(1);
    expect(first[0]!.text).toContain(`Курс ${calm.base}/RUB:`);
    expect(Number((await row()).fx_delta_last_notified_rate)).toBeCloseTo(calm.rate, 6);
    // Its rate is what the owner was told: nothing more to say, whatever the mover did.
    await runTick(deps, new Date(NOW.getTime() + 7 * H));
    expect(await outbox()).toHaveLength(1);
    await t.pool.query("DELETE FROM outbox");
    // Told 1 % below its current rate: the alert is about that base, and the base stays.
    const told = Math.round((calm.rate / 1.01) * 1e6) / 1e6;
    await t.pool.query("UPDATE owner_notify_settings SET fx_delta_last_notified_rate = $2 WHERE owner_id = $1", [OWNER, told]);
    await runTick(deps, new Date(NOW.getTime() + 14 * H));
    const sent = await outbox();
    expect(sent).toHaveLength(1);
    expect(sent[0]!.text).toContain(`Курс ${calm.base}/RUB изменился`);
    const after = await row();
    expect(after.fx_delta_base).toBe(calm.base);
    expect(Number(after.fx_delta_last_notified_rate)).toBeCloseTo(calm.rate, 6);
  });

  it("when the stored base is no longer quoted, watches the biggest mover from now on and says so", async () => {
    const mover = (await latestRates())[0]!;
    await settings({ fx_delta_enabled: true, fx_delta_base: "XAU", fx_delta_last_notified_rate: 7000 });
    await runTick(deps, NOW);
    const sent = await outbox();
    expect(sent).toHaveLength(1);
    expect(sent[0]!.text).toContain(`Курс ${mover.base}/RUB:`);
    expect(sent[0]!.text).toContain(`Курса XAU к RUB больше нет — теперь слежу за ${mover.base}.`);
    const after = await row();
    expect(after.fx_delta_base).toBe(mover.base);
    expect(Number(after.fx_delta_last_notified_rate)).toBeCloseTo(mover.rate, 6);
  });

  it("a failing feature is audited as notify_error at most hourly and the others still run", async () => {
    // A zone Intl does not know makes the digest throw; the ops alert after it must still go out.
    await settings({ digest_enabled: true, digest_tz: "Mars/Base", ops_alerts_enabled: true });
    const r = await runTick(deps, NOW);
    expect(r.errors).toBe(1);
    expect((await outbox()).map((o) => o.cause.split(":")[1])).toEqual(["ops"]);
    expect(await audits("notify_error")).toBe(1);
    await runTick(deps, new Date(NOW.getTime() + 30 * 60_000));
    expect(await audits("notify_error")).toBe(1);
    await runTick(deps, new Date(NOW.getTime() + H));
    expect(await audits("notify_error")).toBe(2);
    const { rows } = await t.pool.query<{ feature: string }>(
      "SELECT payload->>'feature' AS feature FROM audit_events WHERE event_type = 'notify_error'",
    );
    expect(rows.map((x) => x.feature)).toEqual(["digest", "digest"]);
  });
});

describe("weekly report and the lock", () => {
  it("the weekly report is sent once this ISO week, with its PDF as a report job", async () => {
    await settings({ weekly_enabled: true, weekly_day_of_week: 0, weekly_time_local: "09:30" });
    await runTick(deps, NOW);
    await runTick(deps, new Date(NOW.getTime() + 48 * H));
    const rows = await outbox();
    expect(rows.map((r) => r.cause)).toEqual([`ntf:weekly:${OWNER}:2026-W48`]);
    const jobs = await t.pool.query<{ filename: string }>("SELECT request->>'filename' AS filename FROM report_jobs");
    expect(jobs.rows).toEqual([{ filename: "weekly_report.pdf" }]);
    expect(await audits("notify_weekly_sent")).toBe(1);
  });

  it("a tick that finds another holding the lock does nothing", async () => {
    await settings({ digest_enabled: true, digest_time_local: "09:00" });
    const other = await t.pool.connect();
    try {
      await other.query("BEGIN");
      await other.query("SELECT pg_advisory_xact_lock($1)", [TICK_LOCK_KEY]);
      expect(await runTick(deps, NOW)).toEqual({ ran: false, owners: 0, sent: 0, errors: 0 });
      expect(await outbox()).toHaveLength(0);
    } finally {
      await other.query("ROLLBACK");
      other.release();
    }
    expect((await runTick(deps, NOW)).sent).toBe(1);
  });

  it("two ticks at once send the digest once", async () => {
    await settings({ digest_enabled: true, digest_time_local: "09:00" });
    const reports = await Promise.all([runTick(deps, NOW), runTick(deps, NOW), runTick(deps, new Date(NOW.getTime() + 1000))]);
    expect(reports.reduce((n, r) => n + r.sent, 0)).toBe(1);
    expect((await outbox()).map((o) => o.cause)).toEqual([`ntf:digest:${OWNER}:2026-11-23`]);
    expect(await audits("notify_digest_sent_v2")).toBe(1);
  });

  it("owners without settings get nothing", async () => {
    expect(await runTick(deps, NOW)).toEqual({ ran: true, owners: 1, sent: 0, errors: 0 });
    expect(await outbox()).toHaveLength(0);
  });
});
