import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CallRecord, FakeTelegram } from "@ownerbot/testkit/fake-telegram";
import { ownerChat, startDemoWorld } from "@ownerbot/testkit/owner-chat";
import { waitForCalls } from "@ownerbot/testkit/wait";
import { OWNER, type World } from "@ownerbot/testkit/world";

// The decision memo: from an advice reply's «📄 Записка PDF» button and by phrase, the owner gets
// a PDF document drawn by the report worker (real Chromium) through the outbox and the sender.
// The shop here counts in euros and lives in Berlin, so nothing in the memo may assume roubles.

const TZ = "Europe/Berlin";
const today = new Intl.DateTimeFormat("en-CA", { timeZone: TZ }).format(new Date());

let tg: FakeTelegram;
let world: World;
beforeAll(async () => {
  world = await startDemoWorld({
    env: { OWNER_TZ: TZ, SHOP_CURRENCY: "EUR", SHOP_LOCALE: "ru-RU" },
    seed: 7,
    anchorDay: today,
    timeZone: TZ,
    report: true,
  });
  ({ tg } = world);
}, 60_000);
afterAll(async () => world?.close());

const document = (c: CallRecord): boolean => c.ok && c.method === "sendDocument" && Number(c.params.chat_id) === OWNER;

/** The sent PDF: its name, its pages as 60-dpi PNGs (kept in a temp dir to look at) and its text. */
async function receivedPdf(since: number): Promise<{ name: string; pages: string[]; text: string }> {
  const [doc] = await waitForCalls(tg, document, 1, { since, timeoutMs: 60_000 });
  const d = (doc!.result as { document: { file_id: string; file_name: string } }).document;
  const bytes = tg.fileBytes(d.file_id)!;
  expect(bytes.subarray(0, 5).toString("ascii")).toBe("%PDF-");
  const dir = mkdtempSync(join(tmpdir(), "memo-"));
  writeFileSync(join(dir, "memo.pdf"), bytes);
  execFileSync("pdftoppm", ["-png", "-r", "60", join(dir, "memo.pdf"), join(dir, "page")]);
  const pages = readdirSync(dir)
    .filter((f) => f.endsWith(".png"))
    .map((f) => join(dir, f));
  const text = execFileSync("pdftotext", ["-layout", "-", "-"], { input: bytes }).toString("utf8");
  return { name: d.file_name, pages, text };
}

describe("decision memo PDF", () => {
  it("the «📄 Записка PDF» button under advice sends a PDF of the topic with its facts, sources and hypotheses", async () => {
    const chat = ownerChat(tg);
    const panel = await chat.ask("советник");
    const playbook = await chat.tap(panel, /Цены/, "editMessageText");
    expect(playbook.text).toContain("гипотеза");
    const since = tg.lastSeq();
    const told = await chat.tap(playbook, /Записка PDF/);
    expect(told.text).toMatch(/^📄 Записка «Цены»/);

    const pdf = await receivedPdf(since);
    expect(pdf.name).toBe("decision_memo_pricing_strategy.pdf");
    expect(pdf.pages.length).toBeGreaterThanOrEqual(1);
    const flat = pdf.text.replace(/\s+/g, " ");
    expect(flat).toContain("Служебная записка: Цены");
    expect(flat).toContain("Тема: Цены (PRICING_STRATEGY)");
    // A fact of the brief (kpi_compare week to week), with its source, period, as_of and badge.
    expect(flat).toMatch(/Выручка[^.]*€/);
    expect(flat).toMatch(
      /Источники: демо-данные · KPI по дням · Период: \d\d\.\d\d–\d\d\.\d\d\.\d{4} \(Europe\/Berlin\) · Данные на: [^·]+ · Качество: (high|med)/,
    );
    expect(flat).toContain("Гипотезы (гипотеза, не данные)");
    expect(flat).toContain("Предлагаемое действие (гипотеза)");
    expect(flat).toContain("(Europe/Berlin)");
    expect(flat).not.toContain("₽");
    // The shop's date on the page, not the server's.
    const [y, m, d] = today.split("-");
    expect(flat).toContain(`${d}.${m}.${y}`);
  }, 90_000);

  it("by phrase: «сделай записку по акциям» names its topic; a bare «записка» is about the last advice", async () => {
    const chat = ownerChat(tg);
    let since = tg.lastSeq();
    const told = await chat.ask("сделай записку по акциям");
    expect(told.text).toMatch(/^📄 Записка «Акции и купоны»/);
    expect((await receivedPdf(since)).name).toBe("decision_memo_promo_strategy.pdf");

    await chat.ask("как поднять рост?");
    since = tg.lastSeq();
    await chat.ask("служебная записка");
    const pdf = await receivedPdf(since);
    expect(pdf.name).toBe("decision_memo_growth_plan.pdf");
    expect(pdf.text.replace(/\s+/g, " ")).toContain("Служебная записка: План роста");
  }, 120_000);

  it("/retro counts the memos asked for (audit trail) and sent (report_jobs)", async () => {
    const retro = await ownerChat(tg).ask("/retro 7");
    expect(retro.text).toContain("Записки советника: 3 ");
    expect(retro.text).toMatch(/Из записок: отправлено 3(,|\n|$)/);
    expect(retro.text).not.toContain("не отправлено");
  });
});
