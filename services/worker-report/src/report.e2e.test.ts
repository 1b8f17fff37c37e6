import { execFileSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CallRecord, FakeTelegram } from "@ownerbot/testkit/fake-telegram";
import type { TestEnv } from "@ownerbot/testkit/harness";
import { OWNER, type World } from "@ownerbot/testkit/world";
import { reportToday, startReportWorld } from "./testing/report-world.ts";
import { isReplyTo, until, waitForCalls } from "@ownerbot/testkit/wait";

// The owner asks for a chart or a PDF: the text answer comes at once from the intent worker, the
// picture follows from the report worker (charts by resvg, PDFs in a real headless Chromium) through
// the outbox and sender.

const today = reportToday();

let t: TestEnv;
let tg: FakeTelegram;
let world: World;
beforeAll(async () => {
  world = await startReportWorld({ REPORT_CHART_RENDERER: "resvg" });
  ({ t, tg } = world);
}, 60_000);
afterAll(async () => world?.close());

type Sent = { file_id: string; width?: number; height?: number };
const upload = (method: string) => (c: CallRecord) => c.ok && c.method === method && Number(c.params.chat_id) === OWNER;

/** The worker-report process's child processes (Chromium's, once it has started one). */
function childrenOf(pid: number): number[] {
  try {
    return execFileSync("pgrep", ["-P", String(pid)])
      .toString()
      .trim()
      .split("\n")
      .map(Number);
  } catch {
    return []; // pgrep exits 1 when there are none
  }
}

function pngSize(b: Buffer): { width: number; height: number } {
  expect(b.subarray(0, 8).toString("hex")).toBe("89504e470d0a1a0a");
  expect(b.subarray(12, 16).toString("ascii")).toBe("IHDR");
  return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
}

describe("charts and PDFs through the report worker", () => {
  it("answers /trend 14 with the numbers, then a chart photo with the total in its caption", async () => {
    // The last 14 full days: today is still going.
    const { rows } = await t.pool.query<{ gross: number; paid: number }>(
      `SELECT sum(revenue_gross)::float AS gross, sum(orders_paid)::int AS paid FROM demo_kpi_daily
       WHERE day > $1::date - 15 AND day <= $1::date - 1`,
      [today],
    );
    const since = tg.lastSeq();
    tg.pushText(OWNER, "/trend 14");
    const [text] = await waitForCalls(tg, isReplyTo(OWNER), 1, { since, timeoutMs: 20_000 });
    expect(String(text!.params.text)).toContain("Выручка за 14 дн.");
    expect(String(text!.params.text)).not.toContain("График пока недоступен");

    const [photo] = await waitForCalls(tg, upload("sendPhoto"), 1, { since, timeoutMs: 60_000 });
    expect(photo!.seq).toBeGreaterThan(text!.seq);
    const caption = String(photo!.params.caption);
    const firstLine = caption.split("\n")[0]!;
    expect(firstLine).toContain("Выручка за 14 дн.");
    expect(firstLine.replace(/\D/g, "")).toContain(String(Math.round(rows[0]!.gross)));
    expect(caption).toContain(`Оплачено: ${rows[0]!.paid}`);
    expect(caption).toContain("₽");

    const sent = (photo!.result as { photo: Sent[] }).photo[0]!;
    const bytes = tg.fileBytes(sent.file_id);
    expect(bytes).toBeDefined();
    const size = pngSize(bytes!);
    // Drawn at twice the CSS size: a 900-px chart plus margins.
    expect(size.width).toBeGreaterThanOrEqual(1800);
    expect(size.height).toBeGreaterThan(600);
    expect(size.height).toBeLessThan(size.width);
    // resvg drew it in the worker's own process: no Chromium was started for the chart.
    expect(childrenOf(world.stack["worker-report"]!.proc.pid!)).toEqual([]);

    const jobs = await t.pool.query<{ status: string; attempts: number; cause: string }>(
      "SELECT status, attempts, cause FROM report_jobs WHERE chat_id = $1",
      [OWNER],
    );
    expect(jobs.rows.map((r) => [r.status, r.attempts])).toEqual([["done", 1]]);
    expect(jobs.rows[0]!.cause).toMatch(/^upd:\d+:0$/);

    // Once Telegram has the picture, its row keeps the name and size, not the megabytes.
    await until(
      async () =>
        (await t.pool.query("SELECT 1 FROM outbox WHERE method = 'sendPhoto' AND status = 'sent' AND chat_id = $1", [OWNER])).rowCount ===
        1,
    );
    const { rows: kept } = await t.pool.query<{ file: Record<string, unknown> }>(
      "SELECT payload->'file' AS file FROM outbox WHERE method = 'sendPhoto' AND chat_id = $1",
      [OWNER],
    );
    expect(kept[0]!.file).toEqual({ filename: "revenue_trend_14d.png", field: "photo", bytes: bytes!.length });
  }, 90_000);

  it("sends a PDF whose text keeps Cyrillic and the rouble sign", async () => {
    const since = tg.lastSeq();
    tg.pushText(OWNER, "выручка за неделю в pdf");
    const [doc] = await waitForCalls(tg, upload("sendDocument"), 1, { since, timeoutMs: 60_000 });
    const d = (doc!.result as { document: { file_id: string; file_name: string } }).document;
    expect(d.file_name).toBe("revenue_trend_7d.pdf");
    const bytes = tg.fileBytes(d.file_id)!;
    expect(bytes.subarray(0, 5).toString("ascii")).toBe("%PDF-");
    const text = execFileSync("pdftotext", ["-layout", "-", "-"], { input: bytes }).toString("utf8");
    expect(text).toContain("Выручка за 7 дн.");
    expect(text).toContain("₽");
    expect(text).toContain("По дням");
  }, 90_000);

  it("stops cleanly on SIGTERM and takes its browser with it", async () => {
    const svc = world.stack["worker-report"]!;
    const pid = svc.proc.pid!;
    // The browser was started by the renders above and is the worker's child.
    // The PDF above started it (the chart did not).
    const children = childrenOf(pid);
    expect(children.length).toBeGreaterThan(0);
    expect(await svc.kill("SIGTERM")).toBe(0);
    const alive = (): number[] =>
      children.filter((c) => {
        try {
          process.kill(c, 0);
          return true;
        } catch {
          return false;
        }
      });
    // The browser's own exit can trail the worker's by a moment on a busy machine.
    await until(() => Promise.resolve(alive().length === 0), 5000).catch(() => undefined);
    expect(alive()).toEqual([]);
  }, 30_000);
});
