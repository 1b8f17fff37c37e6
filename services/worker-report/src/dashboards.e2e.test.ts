import { execFileSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CallRecord, FakeTelegram } from "@ownerbot/testkit/fake-telegram";
import type { TestEnv } from "@ownerbot/testkit/harness";
import { OWNER, type World } from "@ownerbot/testkit/world";
import { startReportWorld } from "./testing/report-world.ts";
import { isReplyTo, waitForCalls } from "@ownerbot/testkit/wait";

// The dashboards end to end: the owner asks, the intent worker answers with the text at once and the
// report worker (real headless Chromium) sends the dashboard's picture or PDF after it.

let t: TestEnv;
let tg: FakeTelegram;
let world: World;
beforeAll(async () => {
  world = await startReportWorld();
  ({ t, tg } = world);
}, 60_000);
afterAll(async () => world?.close());

const upload = (method: string) => (c: CallRecord) => c.ok && c.method === method && Number(c.params.chat_id) === OWNER;
type Doc = { document: { file_id: string; file_name: string } };

async function pdfAfter(since: number): Promise<{ name: string; text: string; seq: number }> {
  const [doc] = await waitForCalls(tg, upload("sendDocument"), 1, { since, timeoutMs: 60_000 });
  const d = (doc!.result as Doc).document;
  const bytes = tg.fileBytes(d.file_id)!;
  expect(bytes.subarray(0, 5).toString("ascii")).toBe("%PDF-");
  return { name: d.file_name, text: execFileSync("pdftotext", ["-layout", "-", "-"], { input: bytes }).toString("utf8"), seq: doc!.seq };
}

describe("dashboards through the report worker", () => {
  it("/weekly_pdf: the weekly text, then business_dashboard_weekly.pdf with the week's numbers", async () => {
    const { rows } = await t.pool.query<{ stuck: number }>(
      `SELECT count(*)::int AS stuck FROM demo_orders, demo_meta
       WHERE status = 'stuck' OR (payment_status = 'pending' AND created_at <= demo_meta.as_of - interval '6 hours'
                                  AND status NOT IN ('cancelled', 'refunded', 'failed'))`,
    );
    const since = tg.lastSeq();
    tg.pushText(OWNER, "/weekly_pdf");
    const [text] = await waitForCalls(tg, isReplyTo(OWNER), 1, { since, timeoutMs: 20_000 });
    expect(String(text!.params.text)).toMatch(/^🗓 Дашборд недели: /u);
    expect(String(text!.params.text)).toContain(`Зависшие заказы: ${rows[0]!.stuck}`);
    const pdf = await pdfAfter(since);
    expect(pdf.seq).toBeGreaterThan(text!.seq);
    expect(pdf.name).toBe("business_dashboard_weekly.pdf");
    expect(pdf.text).toContain("Дашборд недели");
    expect(pdf.text).toContain(`Зависшие заказы: ${rows[0]!.stuck}`);
    expect(pdf.text).toContain("Топ товаров за 7 дней");
    expect(pdf.text).toContain("₽");
  }, 90_000);

  it("«дашборд»: the digest text, then the chart photo captioned with its title and period", async () => {
    const since = tg.lastSeq();
    tg.pushText(OWNER, "дашборд");
    const [text] = await waitForCalls(tg, isReplyTo(OWNER), 1, { since, timeoutMs: 20_000 });
    expect(String(text!.params.text)).toMatch(/^📰 Дашборд дня за /u);
    const [photo] = await waitForCalls(tg, upload("sendPhoto"), 1, { since, timeoutMs: 60_000 });
    expect(String(photo!.params.caption)).toMatch(/^Дашборд дня за \d\d\.\d\d\.\d{4}\r?\n7 дней /u);
    // The numbers were in the text just before; the caption does not repeat them.
    expect(String(photo!.params.caption)).not.toContain("Выручка за 7 дней (чистая)");
  }, 90_000);

  it("«операционный отчёт»: the counts, then ops_report.pdf", async () => {
    const since = tg.lastSeq();
    tg.pushText(OWNER, "операционный отчёт");
    const [text] = await waitForCalls(tg, isReplyTo(OWNER), 1, { since, timeoutMs: 20_000 });
    expect(String(text!.params.text)).toMatch(/^🛠 Операционный отчёт на /u);
    const pdf = await pdfAfter(since);
    expect(pdf.name).toBe("ops_report.pdf");
    expect(pdf.text).toContain("Операционный отчёт");
    expect(pdf.text).toContain("Что сделать");
  }, 90_000);
});
