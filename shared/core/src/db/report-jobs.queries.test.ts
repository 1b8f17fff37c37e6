import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestEnv, type TestEnv } from "@ownerbot/testkit/harness";
import type { ReportRequest } from "../queue/report-doc.ts";
import { claimChat, insertBatchAndAdvance } from "./inbox.queries.ts";
import { finishIntent } from "./outbox.queries.ts";
import { claimReportJob, finishReportJob } from "./report-jobs.queries.ts";
import { chatClaimable, findOpenRows, releaseRows, REPORTS } from "./leased.queries.ts";

let t: TestEnv;
beforeAll(async () => {
  t = await createTestEnv();
});
afterAll(async () => t.close());

const request = (title: string): ReportRequest => ({
  format: "png",
  filename: "x.png",
  doc: { title, generatedAt: "2026-11-23T10:00:00Z", locale: "ru-RU", currency: "RUB", timeZone: "Europe/Moscow", blocks: [] },
});

async function insertJob(cause: string, chatId: number): Promise<number> {
  const { rows } = await t.pool.query<{ id: number }>(
    "INSERT INTO report_jobs (cause, chat_id, request) VALUES ($1, $2, $3) RETURNING id",
    [cause, chatId, JSON.stringify(request(cause))],
  );
  return rows[0]!.id;
}

const row = async (id: number) =>
  (await t.pool.query<{ status: string; attempts: number; last_error: string | null }>("SELECT * FROM report_jobs WHERE id = $1", [id]))
    .rows[0]!;

describe("report job queries", () => {
  it("writes the job in the intent's finishing statement once, and returns it for its BullMQ job", async () => {
    await insertBatchAndAdvance(t.pool, 1, [{ updateId: 5, chatId: 42, userId: 42, kind: "text", payload: {} }], 6, {
      windowSec: 60,
      text: "busy",
    });
    const [u] = await claimChat(t.pool, 42, "w:1", 30, 5);
    const outcome = {
      claimer: "w:1",
      doneIds: [u!.id],
      deadIds: [],
      outbox: [{ cause: `upd:${u!.id}`, seq: 0, chatId: 42, method: "sendMessage", payload: { chat_id: 42, text: "цифры" } }],
      tokens: [],
      audits: [],
      reports: [{ cause: `upd:${u!.id}:0`, chatId: 42, request: request("Выручка") }],
    };
    const fin = await finishIntent(t.pool, outcome);
    expect(fin.fenced).toBe(true);
    // A second finish is fenced off (the row is done) and writes nothing.
    expect((await finishIntent(t.pool, outcome)).fenced).toBe(false);
    const { rows } = await t.pool.query<{ id: number; cause: string; chat_id: number; request: ReportRequest; status: string }>(
      "SELECT id, cause, chat_id, request, status FROM report_jobs WHERE chat_id = 42",
    );
    expect(rows).toEqual([{ id: rows[0]!.id, cause: `upd:${u!.id}:0`, chat_id: 42, request: request("Выручка"), status: "pending" }]);
    expect(fin.reports).toEqual([{ id: rows[0]!.id, chatId: 42 }]);
    expect(fin.outbox).toHaveLength(1);
  });

  it("claims one chat's jobs one at a time in order, and re-claims an expired lease", async () => {
    const a = await insertJob("c:a", 7);
    const b = await insertJob("c:b", 7);
    const other = await insertJob("c:other", 8);
    const first = await claimReportJob(t.pool, 7, "r:1", 30);
    // The chat's oldest job only: b waits behind a, so two workers cannot draw them side by side…
    expect([first?.id, first?.attempts]).toEqual([a, 1]);
    // …while another chat's job is not held up by them.
    expect((await claimReportJob(t.pool, 8, "r:1", 30))?.id).toBe(other);
    expect(await claimReportJob(t.pool, 7, "r:2", 30)).toBeNull();
    expect(await chatClaimable(t.pool, REPORTS, 7)).toBe(false);
    await t.pool.query("UPDATE report_jobs SET status = 'done' WHERE id = $1", [other]);
    // r:1 dies: its lease runs out and the job is claimable again, counted as a second attempt.
    await t.pool.query("UPDATE report_jobs SET lease_until = now() - interval '1 second' WHERE id = $1", [a]);
    expect(await chatClaimable(t.pool, REPORTS, 7)).toBe(true);
    expect((await findOpenRows(t.pool, REPORTS, 60_000, 10)).map((s) => [s.chatId, s.id])).toEqual([[7, a]]);
    const again = await claimReportJob(t.pool, 7, "r:4", 30);
    expect([again?.id, again?.attempts]).toEqual([a, 2]);
    // The old claimer cannot finish or release it any more.
    const photo = { chat_id: 7, file: { filename: "x.png", base64: "iVBO", field: "photo" } };
    expect(await finishReportJob(t.pool, a, "r:1", { status: "done", method: "sendPhoto", payload: photo })).toEqual({
      fenced: false,
      outboxId: null,
    });
    await releaseRows(t.pool, REPORTS, [a], "r:1", { error: "late" });
    expect((await row(a)).status).toBe("claimed");
    const done = await finishReportJob(t.pool, a, "r:4", { status: "done", method: "sendPhoto", payload: photo });
    expect(done.fenced).toBe(true);
    const ob = await t.pool.query("SELECT cause, seq, chat_id, method, payload, status FROM outbox WHERE id = $1", [done.outboxId]);
    expect(ob.rows).toEqual([{ cause: `rep:${a}`, seq: 0, chat_id: 7, method: "sendPhoto", payload: photo, status: "pending" }]);
    expect((await row(a)).status).toBe("done");
    // Finishing twice writes no second reply.
    expect((await finishReportJob(t.pool, a, "r:4", { status: "done", method: "sendPhoto", payload: photo })).fenced).toBe(false);
    expect((await t.pool.query("SELECT count(*)::int AS n FROM outbox WHERE cause = $1", [`rep:${a}`])).rows[0]).toEqual({ n: 1 });
    // With a done, the chat's next job is claimable.
    expect(await chatClaimable(t.pool, REPORTS, 7)).toBe(true);
    expect((await claimReportJob(t.pool, 7, "r:2", 30))?.id).toBe(b);
    await t.pool.query("UPDATE report_jobs SET status = 'done' WHERE id = $1", [b]);
  });

  it("releases a failed attempt and ends a hopeless job dead with the apology in the same statement", async () => {
    const id = await insertJob("c:dead", 9);
    await claimReportJob(t.pool, 9, "r:5", 30);
    await releaseRows(t.pool, REPORTS, [id], "r:5", { error: "Error: boom", notBeforeMs: Date.now() + 60_000 });
    expect(await row(id)).toMatchObject({ status: "pending", attempts: 1, last_error: "Error: boom" });
    // Backing off: the chat is not claimable until the row's not_before.
    expect(await claimReportJob(t.pool, 9, "r:6", 30)).toBeNull();
    await t.pool.query("UPDATE report_jobs SET not_before = now() - interval '1 second' WHERE id = $1", [id]);
    expect((await claimReportJob(t.pool, 9, "r:6", 30))?.id).toBe(id);
    const text = { chat_id: 9, text: "Не удалось построить отчёт" };
    const fin = await finishReportJob(t.pool, id, "r:6", { status: "dead", payload: text, error: "Error: boom again" });
    expect(fin.fenced).toBe(true);
    expect(await row(id)).toMatchObject({ status: "dead", attempts: 2, last_error: "Error: boom again" });
    const ob = await t.pool.query("SELECT method, payload FROM outbox WHERE id = $1", [fin.outboxId]);
    expect(ob.rows).toEqual([{ method: "sendMessage", payload: text }]);
  });
});
