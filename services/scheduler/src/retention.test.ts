import pg from "pg";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createTestEnv, type TestEnv } from "@ownerbot/testkit/harness";
import { createPool } from "@ownerbot/core/db";
import { createLogger } from "@ownerbot/core/logger";
import { RETENTION_LOCK_KEY, retentionOptions, retentionTick } from "./retention.ts";

// The scheduler's retention run: it takes the advisory lock or skips, works with a pool of one
// connection, and leaves no lock behind.

const log = createLogger({ name: "test", level: "silent", secrets: [] });

let t: TestEnv;
beforeAll(async () => {
  t = await createTestEnv();
});
afterAll(async () => t?.close());
beforeEach(async () => {
  await t.pool.query("DELETE FROM audit_events");
});

const options = (batch = 10) => retentionOptions(t.config({ RETENTION_BATCH: String(batch) }), new Date());

async function oldAudits(n: number): Promise<void> {
  await t.pool.query(
    "INSERT INTO audit_events (event_type, occurred_at) SELECT 'test', now() - interval '200 days' FROM generate_series(1, $1)",
    [n],
  );
}
const auditCount = async (): Promise<number> =>
  (await t.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM audit_events")).rows[0]!.n;
const lockHeld = async (): Promise<boolean> =>
  (
    await t.pool.query<{ held: boolean }>(
      "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND ((classid::bigint << 32) | objid::bigint) = $1) AS held",
      [RETENTION_LOCK_KEY],
    )
  ).rows[0]!.held;

describe("retentionTick", () => {
  it("maps the RETENTION_* settings onto the run", () => {
    const o = retentionOptions(
      t.config({
        RETENTION_INBOX_DAYS: "3",
        RETENTION_OUTBOX_DAYS: "4",
        RETENTION_REPORT_DAYS: "5",
        RETENTION_AUDIT_DAYS: "30",
        RETENTION_TOKEN_GRACE_HOURS: "6",
        RETENTION_ACTION_DAYS: "60",
        RETENTION_ASR_DAYS: "2",
        RETENTION_ASR_CACHE_DAYS: "9",
        RETENTION_BATCH: "70",
      }),
      new Date(0),
    );
    expect(o.windows).toEqual({
      inboxDays: 3,
      outboxDays: 4,
      reportDays: 5,
      auditDays: 30,
      tokenGraceHours: 6,
      actionDays: 60,
      asrDays: 2,
      asrCacheDays: 9,
    });
    expect(o.batch).toBe(70);
  });

  it("skips while another run holds the lock, and runs once it is free", async () => {
    await oldAudits(3);
    const other = new pg.Client({ connectionString: t.dbUrl });
    await other.connect();
    try {
      await other.query("SELECT pg_advisory_lock($1)", [RETENTION_LOCK_KEY]);
      expect(await lockHeld()).toBe(true);
      expect(await retentionTick(t.pool, options(), log)).toBeNull();
      expect(await auditCount()).toBe(3);
      await other.query("SELECT pg_advisory_unlock($1)", [RETENTION_LOCK_KEY]);
    } finally {
      await other.end();
    }
    const r = await retentionTick(t.pool, options(), log);
    expect(r?.deleted.audit_events).toBe(3);
    expect(await auditCount()).toBe(0);
  });

  it("runs its batches on the lock's own connection (a pool of one is enough) and releases the lock", async () => {
    await oldAudits(25);
    const one = createPool(t.dbUrl, 1);
    try {
      const r = await retentionTick(one, options(10), log);
      expect(r).toMatchObject({ caughtUp: true, deleted: { audit_events: 25 } });
      expect(r?.batches).toBe(3 + 9); // 10 + 10 + 5 audit events, one empty batch for each other table
      // Session locks are re-entrant, so a second tick on this connection would prove nothing: ask pg_locks.
      expect(await lockHeld()).toBe(false);
    } finally {
      await one.end();
    }
  });

  it("releases the lock when a batch fails, and the next run works", async () => {
    await oldAudits(1);
    // A table lock held elsewhere makes the first DELETE give up after lock_timeout (row locks
    // would not: the deletes skip locked rows).
    const failing = new pg.Pool({ connectionString: t.dbUrl, max: 1, options: "-c lock_timeout=200" });
    // pool.end() can resolve before the server has seen the goodbye; the teardown's DROP DATABASE …
    // WITH (FORCE) then terminates that connection, and a pool without an error listener turns it
    // into an uncaught exception (seen once in CI).
    failing.on("error", () => undefined);
    const blocker = new pg.Client({ connectionString: t.dbUrl });
    await blocker.connect();
    try {
      await blocker.query("BEGIN");
      await blocker.query("LOCK TABLE inbox IN ACCESS EXCLUSIVE MODE");
      await expect(retentionTick(failing, options(), log)).rejects.toThrow(/lock timeout/);
      expect(await lockHeld()).toBe(false);
      await blocker.query("ROLLBACK");
      expect(await retentionTick(failing, options(), log)).toMatchObject({ caughtUp: true, deleted: { audit_events: 1 } });
    } finally {
      await blocker.end();
      await failing.end();
    }
  });
});
