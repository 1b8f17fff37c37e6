import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createTestEnv, type TestEnv } from "@ownerbot/testkit/harness";
import { createLogger } from "../logger/index.ts";
import type { Queryable } from "./sql.ts";
import { deleteFinished } from "./retention.queries.ts";
import { runRetention, type RetentionOptions } from "./retention.ts";

// Retention against a real database with a fixed "now": every row is dated explicitly, so a
// row's age is what the test says, not how long the test took.

const NOW = new Date("2026-11-23T12:00:00Z");
const DAY = 86_400_000;
const ago = (days: number): Date => new Date(NOW.getTime() - days * DAY);
const CUTOFF = ago(14);

let t: TestEnv;
let seq = 0;
beforeAll(async () => {
  t = await createTestEnv();
});
afterAll(async () => t?.close());
beforeEach(async () => {
  await t.pool.query(
    "DELETE FROM inbox; DELETE FROM outbox; DELETE FROM report_jobs; DELETE FROM callback_tokens; DELETE FROM audit_events;" +
      "DELETE FROM actions; DELETE FROM demo_action_ledger; DELETE FROM asr_jobs; DELETE FROM asr_cache; DELETE FROM llm_jobs",
  );
});

async function inbox(status: string, receivedDaysAgo: number, doneDaysAgo: number | null = receivedDaysAgo): Promise<number> {
  const { rows } = await t.pool.query<{ id: number }>(
    `INSERT INTO inbox (bot_id, update_id, chat_id, kind, payload, status, received_at, done_at)
     VALUES (1, $1, 7, 'text', '{}', $2, $3, $4) RETURNING id`,
    [++seq, status, ago(receivedDaysAgo), doneDaysAgo === null ? null : ago(doneDaysAgo)],
  );
  return rows[0]!.id;
}

async function outbox(status: string, createdDaysAgo: number, sentDaysAgo: number | null = null): Promise<number> {
  const { rows } = await t.pool.query<{ id: number }>(
    `INSERT INTO outbox (cause, seq, chat_id, method, payload, status, created_at, sent_at)
     VALUES ($1, 0, 7, 'sendMessage', '{}', $2, $3, $4) RETURNING id`,
    [`test:${++seq}`, status, ago(createdDaysAgo), sentDaysAgo === null ? null : ago(sentDaysAgo)],
  );
  return rows[0]!.id;
}

async function report(status: string, createdDaysAgo: number, doneDaysAgo: number | null = null): Promise<number> {
  const { rows } = await t.pool.query<{ id: number }>(
    `INSERT INTO report_jobs (cause, chat_id, request, status, created_at, done_at)
     VALUES ($1, 7, '{}', $2, $3, $4) RETURNING id`,
    [`test:${++seq}`, status, ago(createdDaysAgo), doneDaysAgo === null ? null : ago(doneDaysAgo)],
  );
  return rows[0]!.id;
}

async function token(expiredDaysAgo: number): Promise<string> {
  const tok = `tok${++seq}`;
  await t.pool.query("INSERT INTO callback_tokens (token, chat_id, payload, created_at, expires_at) VALUES ($1, 7, '{}', $2, $3)", [
    tok,
    ago(expiredDaysAgo + 7),
    ago(expiredDaysAgo),
  ]);
  return tok;
}

async function audit(daysAgo: number): Promise<number> {
  const { rows } = await t.pool.query<{ id: number }>(
    "INSERT INTO audit_events (event_type, occurred_at) VALUES ('test', $1) RETURNING id",
    [ago(daysAgo)],
  );
  return rows[0]!.id;
}

async function action(status: string, at: { finished?: number; expires?: number; delivery?: string }): Promise<number> {
  const { rows } = await t.pool.query<{ id: number }>(
    `INSERT INTO actions (cause, chat_id, owner_id, tool, payload, payload_hash, status, correlation_id, expires_at, finished_at, delivery)
     VALUES ($1, 7, 7, 'notify_team', '{}', 'h', $2, 'c', $3, $4, $5) RETURNING id`,
    [
      `test:${++seq}`,
      status,
      ago(at.expires ?? at.finished ?? 0),
      at.finished === undefined ? null : ago(at.finished),
      at.delivery ?? null,
    ],
  );
  return rows[0]!.id;
}

const ids = async (table: string): Promise<number[]> =>
  (await t.pool.query<{ id: number }>(`SELECT id FROM ${table} ORDER BY id`)).rows.map((r) => r.id);

describe("retention queries", () => {
  it("inbox: deletes finished rows dated before the cutoff; open rows of any age and recent ones stay", async () => {
    const oldFinished = [await inbox("done", 40), await inbox("failed", 40), await inbox("dead", 40), await inbox("rejected", 40, null)];
    const keep = [
      await inbox("new", 400, null),
      await inbox("claimed", 400, null),
      await inbox("done", 13),
      await inbox("rejected", 13, null),
      // Received long ago but finished inside the window: dated by its finish.
      await inbox("done", 40, 3),
    ];
    expect(await deleteFinished(t.pool, "inbox", { before: CUTOFF, limit: 100 })).toBe(oldFinished.length);
    expect(await ids("inbox")).toEqual(keep);
    expect(await deleteFinished(t.pool, "inbox", { before: CUTOFF, limit: 100 })).toBe(0);
  });

  it("outbox: deletes sent, failed, dead and expired replies before the cutoff; pending and claimed stay", async () => {
    const old = [await outbox("sent", 30, 29), await outbox("failed", 30), await outbox("dead", 30), await outbox("expired", 30)];
    const keep = [
      await outbox("pending", 300),
      await outbox("claimed", 300),
      await outbox("sent", 1, 1),
      await outbox("dead", 2),
      // Waited long (Telegram unreachable), sent recently.
      await outbox("sent", 30, 1),
    ];
    expect(await deleteFinished(t.pool, "outbox", { before: CUTOFF, limit: 100 })).toBe(old.length);
    expect(await ids("outbox")).toEqual(keep);
  });

  it("report_jobs: deletes done and dead jobs finished before the cutoff; pending and claimed stay", async () => {
    await report("done", 30, 30);
    await report("dead", 30, 29);
    const keep = [await report("pending", 300), await report("claimed", 300), await report("done", 30, 2), await report("dead", 1, 1)];
    expect(await deleteFinished(t.pool, "report_jobs", { before: CUTOFF, limit: 100 })).toBe(2);
    expect(await ids("report_jobs")).toEqual(keep);
  });

  it("callback_tokens: deletes only tokens that expired before the cutoff (the caller's grace)", async () => {
    await token(3);
    const keep = [await token(0.5), await token(-7)];
    expect(await deleteFinished(t.pool, "callback_tokens", { before: ago(1), limit: 100 })).toBe(1);
    const left = (await t.pool.query<{ token: string }>("SELECT token FROM callback_tokens ORDER BY token")).rows.map((r) => r.token);
    expect(left).toEqual(keep.sort());
  });

  it("audit_events: deletes events older than the cutoff", async () => {
    await audit(100);
    await audit(91);
    const keep = [await audit(89), await audit(0)];
    expect(await deleteFinished(t.pool, "audit_events", { before: ago(90), limit: 100 })).toBe(2);
    expect(await ids("audit_events")).toEqual(keep);
  });

  it("actions: deletes finished actions and expired previews; open ones and pending team deliveries stay", async () => {
    const old = [
      await action("committed", { finished: 100 }),
      await action("cancelled", { finished: 95 }),
      await action("previewed", { expires: 120 }),
      await action("expired", { finished: 91 }),
    ];
    const keep = [
      await action("confirmed", { expires: 300 }),
      await action("in_progress", { expires: 300 }),
      await action("committed", { finished: 100, delivery: "pending" }),
      await action("committed", { finished: 10 }),
      await action("previewed", { expires: -1 }),
    ];
    expect(old).toHaveLength(4);
    expect(await deleteFinished(t.pool, "actions", { before: ago(90), limit: 100 })).toBe(4);
    expect(await ids("actions")).toEqual(keep);
  });

  it("asr_jobs, asr_cache and the DEMO ledger: finished rows before the cutoff go, open jobs stay", async () => {
    for (const [status, days] of [
      ["done", 10],
      ["refused", 9],
      ["dead", 8],
      ["pending", 100],
      ["claimed", 100],
      ["done", 1],
    ] as const)
      await t.pool.query("INSERT INTO asr_jobs (id, chat_id, file, status, created_at, done_at) VALUES ($1, 7, '{}', $2, $3, $4)", [
        ++seq,
        status,
        ago(days),
        status === "pending" || status === "claimed" ? null : ago(days),
      ]);
    expect(await deleteFinished(t.pool, "asr_jobs", { before: ago(7), limit: 100 })).toBe(3);
    const left = await t.pool.query<{ status: string }>("SELECT status FROM asr_jobs ORDER BY id");
    expect(left.rows.map((r) => r.status)).toEqual(["pending", "claimed", "done"]);

    for (const days of [40, 31, 29])
      await t.pool.query(
        "INSERT INTO asr_cache (file_unique_id, transcript, provider, audio_seconds, created_at) VALUES ($1, 'т', 'mock', 1, $2)",
        [`f${++seq}`, ago(days)],
      );
    expect(await deleteFinished(t.pool, "asr_cache", { before: ago(30), limit: 100 })).toBe(2);

    // A key replayed recently is dated by the replay.
    for (const [created, replay] of [
      [100, null],
      [100, 5],
      [1, null],
    ] as const)
      await t.pool.query(
        "INSERT INTO demo_action_ledger (idempotency_key, tool, result, created_at, last_replay_at) VALUES ($1, 'x', '{}', $2, $3)",
        [`k${++seq}`, ago(created), replay === null ? null : ago(replay)],
      );
    expect(await deleteFinished(t.pool, "demo_action_ledger", { before: ago(90), limit: 100 })).toBe(1);
  });

  it("a batch deletes at most `limit` rows, the oldest first", async () => {
    const rows = [];
    for (const d of [20, 50, 30, 60, 40]) rows.push(await inbox("done", d));
    expect(await deleteFinished(t.pool, "inbox", { before: CUTOFF, limit: 2 })).toBe(2);
    // 60 and 50 days old went; 20, 30 and 40 are left.
    expect(await ids("inbox")).toEqual([rows[0], rows[2], rows[4]]);
  });

  it("skips a row another transaction holds instead of waiting for it", async () => {
    const held = await inbox("dead", 40);
    await inbox("dead", 41);
    const c = await t.pool.connect();
    try {
      await c.query("BEGIN");
      await c.query("SELECT 1 FROM inbox WHERE id = $1 FOR UPDATE", [held]);
      expect(await deleteFinished(t.pool, "inbox", { before: CUTOFF, limit: 100 })).toBe(1);
      await c.query("ROLLBACK");
    } finally {
      c.release();
    }
    // Had it waited for the lock, the DELETE would have hung until the ROLLBACK above, which needs it to return.
    expect(await ids("inbox")).toEqual([held]);
  });
});

function memoryLog(): { log: ReturnType<typeof createLogger>; lines: () => Record<string, unknown>[] } {
  const out: string[] = [];
  const log = createLogger({ name: "test", level: "info", destination: { write: (s: string) => void out.push(s) } });
  return { log, lines: () => out.map((s) => JSON.parse(s) as Record<string, unknown>) };
}

const options = (o: Partial<RetentionOptions> = {}): RetentionOptions => ({
  windows: {
    inboxDays: 14,
    outboxDays: 14,
    reportDays: 7,
    auditDays: 90,
    tokenGraceHours: 24,
    actionDays: 90,
    asrDays: 7,
    asrCacheDays: 30,
  },
  batch: 2,
  budgetMs: 60_000,
  now: NOW,
  ...o,
});

describe("runRetention", () => {
  it("runs batches per table until each is caught up, keeps open and recent rows, and logs one summary", async () => {
    for (let i = 0; i < 5; i++) await inbox("done", 20 + i);
    const openInbox = [await inbox("new", 100, null), await inbox("claimed", 100, null)];
    for (let i = 0; i < 3; i++) await outbox("sent", 20, 20);
    const pending = await outbox("pending", 100);
    await report("done", 8, 8);
    await token(2);
    await audit(91);
    const recentAudit = await audit(89);
    const { log, lines } = memoryLog();

    const r = await runRetention(t.pool, options(), log);

    expect(r.deleted).toEqual({
      inbox: 5,
      outbox: 3,
      report_jobs: 1,
      callback_tokens: 1,
      audit_events: 1,
      actions: 0,
      demo_action_ledger: 0,
      asr_jobs: 0,
      asr_cache: 0,
      llm_jobs: 0,
    });
    expect(r.total).toBe(11);
    // Batches of 2: inbox 2+2+1, outbox 2+1, one each for the other eight.
    expect(r.batches).toBe(13);
    expect(r.caughtUp).toBe(true);
    expect(await ids("inbox")).toEqual(openInbox);
    expect(await ids("outbox")).toEqual([pending]);
    expect(await ids("audit_events")).toEqual([recentAudit]);
    expect(lines()).toHaveLength(1);
    expect(lines()[0]).toMatchObject({ msg: "retention: old rows deleted", total: 11, deleted: r.deleted, caughtUp: true });
  });

  it("stays silent when there is nothing to delete", async () => {
    await inbox("done", 1);
    const { log, lines } = memoryLog();
    const r = await runRetention(t.pool, options(), log);
    expect(r).toMatchObject({ total: 0, batches: 10, caughtUp: true });
    expect(lines()).toEqual([]);
  });

  it("starts no batch once the time budget is spent; the next run continues where it stopped", async () => {
    for (let i = 0; i < 4; i++) {
      await inbox("done", 20 + i);
      await outbox("dead", 20 + i);
      await report("dead", 20 + i, 20 + i);
      await audit(100 + i);
    }
    // Every statement "takes" 100 ms of a fake clock: a 250 ms budget starts batches at 0, 100 and 200 ms.
    let clockMs = 0;
    const slow: Queryable = {
      query: ((...args: Parameters<Queryable["query"]>) => {
        clockMs += 100;
        return t.pool.query(...args);
      }) as Queryable["query"],
    };
    const { log, lines } = memoryLog();

    const first = await runRetention(slow, options({ budgetMs: 250, clock: () => clockMs }), log);
    // One batch each for the first three tables in turn, none for the others.
    expect(first.deleted).toEqual({
      inbox: 2,
      outbox: 2,
      report_jobs: 2,
      callback_tokens: 0,
      audit_events: 0,
      actions: 0,
      demo_action_ledger: 0,
      asr_jobs: 0,
      asr_cache: 0,
      llm_jobs: 0,
    });
    expect(first).toMatchObject({ batches: 3, caughtUp: false, ms: 300 });
    expect(lines()[0]).toMatchObject({ msg: "retention: budget spent, the next run continues", caughtUp: false });

    const second = await runRetention(t.pool, options({ batch: 100 }));
    expect(second.deleted).toEqual({
      inbox: 2,
      outbox: 2,
      report_jobs: 2,
      callback_tokens: 0,
      audit_events: 4,
      actions: 0,
      demo_action_ledger: 0,
      asr_jobs: 0,
      asr_cache: 0,
      llm_jobs: 0,
    });
    expect(second.caughtUp).toBe(true);
  });
});
