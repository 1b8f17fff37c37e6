import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestEnv, type TestEnv } from "@ownerbot/testkit/harness";
import { testRun } from "@ownerbot/testkit/drain-run";
import { closeQueues, createQueues, type Queues, type ReportRequest } from "@ownerbot/core/queue";
import { createLogger } from "@ownerbot/core/logger";
import type { Artifact } from "@ownerbot/domain/contract";
import { artifactPayload, createReportDrainer, failedText } from "./drain.ts";

// The drainer against a real database; rendering is replaced by a function so that failures and
// slow renders can be arranged (the real Chromium path is covered by report.e2e.test.ts).

let t: TestEnv;
let queues: Queues;
beforeAll(async () => {
  t = await createTestEnv();
  queues = createQueues(t.redisUrl, t.prefix);
});
afterAll(async () => {
  await closeQueues(queues);
  await t.close();
});

const log = createLogger({ name: "test", level: "silent" });
const request: ReportRequest = {
  format: "png",
  filename: "revenue_trend_7d.png",
  caption: "Выручка за 7 дн.",
  doc: { title: "T", generatedAt: "2026-11-23T00:00:00Z", locale: "ru-RU", currency: "RUB", timeZone: "Europe/Moscow", blocks: [] },
};
const png: Artifact = { kind: "png", filename: "revenue_trend_7d.png", caption: "Выручка за 7 дн.", content: Buffer.from("fake-png") };

async function job(chatId: number, cause: string): Promise<number> {
  const { rows } = await t.pool.query<{ id: number }>(
    "INSERT INTO report_jobs (cause, chat_id, request) VALUES ($1, $2, $3) RETURNING id",
    [cause, chatId, JSON.stringify(request)],
  );
  return rows[0]!.id;
}

const drainer = (render: (r: ReportRequest) => Promise<Artifact>, o: { maxAttempts?: number; timeoutMs?: number } = {}) =>
  createReportDrainer({
    pool: t.pool,
    queues,
    log,
    render,
    leaseSec: 30,
    maxAttempts: o.maxAttempts ?? 2,
    timeoutMs: o.timeoutMs ?? 5000,
    concurrency: 1,
    backoff: { baseMs: 1, maxMs: 1 },
  });

const outboxOf = async (chatId: number) =>
  (
    await t.pool.query<{ cause: string; method: string; payload: Record<string, unknown> }>(
      "SELECT cause, method, payload FROM outbox WHERE chat_id = $1 ORDER BY id",
      [chatId],
    )
  ).rows;

describe("report drainer", () => {
  it("sends each job's photo once, even when drained twice", async () => {
    const a = await job(501, "upd:1:0");
    const b = await job(501, "upd:2:0");
    const drain = drainer(async () => png);
    const run1 = testRun("run-1");
    await drain(501, run1);
    expect([...run1.outcomes]).toEqual([
      [a, { kind: "done" }],
      [b, { kind: "done" }],
    ]);
    const run2 = testRun("run-2");
    await drain(501, run2);
    expect(run2.outcomes.size).toBe(0);
    // Each photo's send job was added right after its row committed.
    expect((await queues.send.getJobs(["waiting"])).map((j) => j.id).sort()).toHaveLength(2);
    const rows = await outboxOf(501);
    expect(rows.map((r) => [r.cause, r.method])).toEqual([
      [`rep:${a}`, "sendPhoto"],
      [`rep:${b}`, "sendPhoto"],
    ]);
    expect(rows[0]!.payload).toEqual({
      chat_id: 501,
      caption: "Выручка за 7 дн.",
      file: { filename: "revenue_trend_7d.png", base64: Buffer.from("fake-png").toString("base64"), field: "photo" },
    });
  });

  it("retries a failed render, then gives up with the apology after the last attempt", async () => {
    const id = await job(502, "upd:3:0");
    let calls = 0;
    const drain = drainer(async () => {
      calls++;
      throw new Error("chromium crashed");
    });
    const run1 = testRun("run-1");
    await drain(502, run1);
    expect(run1.outcomes.get(id)).toMatchObject({ kind: "retry", error: "Error: chromium crashed" });
    const after1 = await t.pool.query(
      "SELECT status, attempts, last_error, not_before IS NOT NULL AS backs_off FROM report_jobs WHERE id = $1",
      [id],
    );
    expect(after1.rows).toEqual([{ status: "pending", attempts: 1, last_error: "Error: chromium crashed", backs_off: true }]);
    expect(await outboxOf(502)).toEqual([]);
    await new Promise((r) => setTimeout(r, 10)); // the 1 ms backoff
    const run2 = testRun("run-2");
    await drain(502, run2);
    expect(run2.outcomes.get(id)).toEqual({ kind: "dead", error: "Error: chromium crashed" });
    expect(calls).toBe(2);
    const after2 = await t.pool.query("SELECT status, attempts FROM report_jobs WHERE id = $1", [id]);
    expect(after2.rows).toEqual([{ status: "dead", attempts: 2 }]);
    expect(await outboxOf(502)).toEqual([
      { cause: `rep:${id}`, method: "sendMessage", payload: { chat_id: 502, text: failedText(request) } },
    ]);
    expect(failedText(request)).toContain("Не удалось построить отчёт");
  });

  it("counts a render past its deadline as a failed attempt", async () => {
    const id = await job(503, "upd:4:0");
    const drain = drainer(() => new Promise<Artifact>((r) => setTimeout(() => r(png), 2000)), { maxAttempts: 1, timeoutMs: 100 });
    await drain(503, testRun("run-1"));
    const rows = await t.pool.query("SELECT status, last_error FROM report_jobs WHERE id = $1", [id]);
    expect(rows.rows).toEqual([{ status: "dead", last_error: "Error: render took longer than 100 ms" }]);
  });

  it("shapes documents like the intent worker's artifacts", () => {
    const pdf: Artifact = { kind: "pdf", filename: "w.pdf", content: Buffer.from("%PDF"), caption: "x".repeat(2000) };
    const p = artifactPayload(9, pdf);
    expect(p.method).toBe("sendDocument");
    expect((p.payload.caption as string).length).toBe(1024);
    expect(p.payload.file).toEqual({ filename: "w.pdf", base64: Buffer.from("%PDF").toString("base64"), field: "document" });
  });
});
