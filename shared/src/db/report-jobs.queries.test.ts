import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestEnv, type TestEnv } from "../testing/harness.ts";
import type { ReportRequest } from "../reports/doc.ts";
import { claimChat, insertBatchAndAdvance } from "./inbox.queries.ts";
import { finishIntent } from "./outbox.queries.ts";
import { claimReportJobs, findStaleReports, finishReportJob, releaseReportJob, reportChatHasOpen } from "./report-jobs.queries.ts";

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
  it("writes the job in the intent's finishing statement once, and notifies ownerbot_report", async () => {
    const listener = new pg.Client({ connectionString: t.env().DATABASE_URL });
    await listener.connect();
    const heard: string[] = [];
    listener.on("notification", (n) => {
      if (n.channel === "ownerbot_report") heard.push(n.payload ?? "");
    });
    await listener.query("LISTEN ownerbot_report");
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
    expect((await finishIntent(t.pool, outcome)).fenced).toBe(true);
    // A second finish is fenced off (the row is done) and writes nothing.
    expect((await finishIntent(t.pool, outcome)).fenced).toBe(false);
    const { rows } = await t.pool.query<{ cause: string; chat_id: number; request: ReportRequest; status: string }>(
      "SELECT cause, chat_id, request, status FROM report_jobs WHERE chat_id = 42",
    );
    expect(rows).toEqual([{ cause: `upd:${u!.id}:0`, chat_id: 42, request: request("Выручка"), status: "pending" }]);
    await new Promise((r) => setTimeout(r, 100));
    expect(heard).toEqual(["42"]);
    await listener.end();
  });

  it("claims one chat's jobs one at a time in order, and re-claims an expired lease", async () => {
    const a = await insertJob("c:a", 7);
    const b = await insertJob("c:b", 7);
    const other = await insertJob("c:other", 8);
    const first = await claimReportJobs(t.pool, { claimer: "r:1", leaseSec: 30, limit: 5, chatId: 7 });
    // The chat's oldest job only: b waits behind a, so two workers cannot draw them side by side…
    expect(first.map((j) => [j.id, j.attempts])).toEqual([[a, 1]]);
    // …while another chat's job is not held up by them.
    expect((await claimReportJobs(t.pool, { claimer: "r:1", leaseSec: 30, limit: 5, chatId: 8 })).map((j) => j.id)).toEqual([other]);
    expect(await claimReportJobs(t.pool, { claimer: "r:2", leaseSec: 30, limit: 5, chatId: 7 })).toEqual([]);
    expect(await reportChatHasOpen(t.pool, 7)).toBe(false);
    await t.pool.query("UPDATE report_jobs SET status = 'done' WHERE id = $1", [other]);
    // r:1 dies: its lease runs out and the job is claimable again, counted as a second attempt.
    await t.pool.query("UPDATE report_jobs SET lease_until = now() - interval '1 second' WHERE id = $1", [a]);
    expect(await reportChatHasOpen(t.pool, 7)).toBe(true);
    expect((await findStaleReports(t.pool, 60_000, 10)).map((s) => [s.chatId, s.firstId])).toEqual([[7, a]]);
    const again = await claimReportJobs(t.pool, { claimer: "r:4", leaseSec: 30, limit: 5, chatId: 7 });
    expect(again.map((j) => [j.id, j.attempts])).toEqual([[a, 2]]);
    // The old claimer cannot finish or release it any more.
    const photo = { chat_id: 7, file: { filename: "x.png", base64: "iVBO", field: "photo" } };
    expect(await finishReportJob(t.pool, a, "r:1", { status: "done", method: "sendPhoto", payload: photo })).toEqual({
      fenced: false,
      outboxId: null,
    });
    expect(await releaseReportJob(t.pool, a, "r:1", "late")).toBe(false);
    const done = await finishReportJob(t.pool, a, "r:4", { status: "done", method: "sendPhoto", payload: photo });
    expect(done.fenced).toBe(true);
    const ob = await t.pool.query("SELECT cause, seq, chat_id, method, payload, status FROM outbox WHERE id = $1", [done.outboxId]);
    expect(ob.rows).toEqual([{ cause: `rep:${a}`, seq: 0, chat_id: 7, method: "sendPhoto", payload: photo, status: "pending" }]);
    expect((await row(a)).status).toBe("done");
    // Finishing twice writes no second reply.
    expect((await finishReportJob(t.pool, a, "r:4", { status: "done", method: "sendPhoto", payload: photo })).fenced).toBe(false);
    expect((await t.pool.query("SELECT count(*)::int AS n FROM outbox WHERE cause = $1", [`rep:${a}`])).rows[0]).toEqual({ n: 1 });
    // With a done, the chat's next job is claimable.
    expect(await reportChatHasOpen(t.pool, 7)).toBe(true);
    const next = await claimReportJobs(t.pool, { claimer: "r:2", leaseSec: 30, limit: 5, chatId: 7 });
    expect(next.map((j) => j.id)).toEqual([b]);
    await t.pool.query("UPDATE report_jobs SET status = 'done' WHERE id = $1", [b]);
  });

  it("releases a failed attempt and ends a hopeless job dead with the apology in the same statement", async () => {
    const id = await insertJob("c:dead", 9);
    await claimReportJobs(t.pool, { claimer: "r:5", leaseSec: 30, limit: 1, chatId: 9 });
    expect(await releaseReportJob(t.pool, id, "r:5", "Error: boom")).toBe(true);
    expect(await row(id)).toMatchObject({ status: "pending", attempts: 1, last_error: "Error: boom" });
    await claimReportJobs(t.pool, { claimer: "r:6", leaseSec: 30, limit: 1, chatId: 9 });
    const text = { chat_id: 9, text: "Не удалось построить отчёт" };
    const fin = await finishReportJob(t.pool, id, "r:6", { status: "dead", payload: text, error: "Error: boom again" });
    expect(fin.fenced).toBe(true);
    expect(await row(id)).toMatchObject({ status: "dead", attempts: 2, last_error: "Error: boom again" });
    const ob = await t.pool.query("SELECT method, payload FROM outbox WHERE id = $1", [fin.outboxId]);
    expect(ob.rows).toEqual([{ method: "sendMessage", payload: text }]);
  });
});
