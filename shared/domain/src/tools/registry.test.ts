import { describe, expect, it } from "vitest";
import { z } from "zod";
import type { Db } from "@ownerbot/core/db";
import type { ToolContext, ToolResult } from "../contract.ts";
import { TELEGRAM_TEXT_LIMIT } from "../format/text.ts";
import { confidence, dailyRate, reorderLine } from "./forecast.ts";
import { listTools, readTools, runTool, settingTools, systemStatusTools } from "./index.ts";
import { classifyQuery } from "./demo-orders.ts";
import { parseOrderNo } from "./orders-tools.ts";
import type { ShopProvider } from "./provider.ts";
import { createRegistry, createRunner, defineTool, fitTelegram, presented, toolCallAudit } from "./registry.ts";
import { AppError } from "@ownerbot/core/errors";
import { redact } from "./retro-tools.ts";
import { SHOP } from "@ownerbot/testkit/test-shop";

// The registry's contract without a database: validation messages, unknown tools, error mapping,
// the provenance check and the Telegram limit. Inputs that fail validation never reach a provider.

const noDb = {} as Db;
const ctx: ToolContext = { db: noDb, shop: SHOP, now: new Date("2026-11-23T12:00:00Z"), correlationId: "t" };

async function errorOf(name: string, input: unknown, c: ToolContext = ctx): Promise<{ code: string; message: string }> {
  const o = await runTool(name, input, c);
  if (o.ok) throw new Error(`${name} unexpectedly succeeded`);
  return o.error;
}

describe("validation", () => {
  it("names the parameter, the allowed range and what came in", async () => {
    expect((await errorOf("revenue_trend", { days: 400 })).message).toBe("Параметр days: допустимо от 1 до 365, получено 400");
    expect((await errorOf("top_products", { days: 90, limit: "abc" })).message).toBe(
      "Параметр limit: ожидается целое число от 1 до 30, получено «abc»",
    );
    expect((await errorOf("chats_unanswered", { threshold_hours: 2.5 })).message).toContain(
      "Параметр threshold_hours: ожидается целое число",
    );
    expect((await errorOf("demand_forecast", { alpha: 1.5 })).message).toBe("Параметр alpha: допустимо от 0,05 до 0,95, получено 1.5");
  });

  it("lists enum values, required fields and date formats", async () => {
    const e = await errorOf("top_products", { metric: "profit" });
    expect(e.code).toBe("VALIDATION_ERROR");
    expect(e.message).toBe("Параметр metric: допустимо: revenue, qty; получено «profit»");
    expect((await errorOf("order_detail", {})).message).toBe("Параметр order_id: обязателен");
    expect((await errorOf("order_detail", { order_id: "  " })).message).toBe("Параметр order_id: не может быть пустым");
    expect((await errorOf("kpi_compare", { preset: "custom", a_start: "2026-11-01" })).message).toContain(
      "Параметр a_end: обязателен при preset=custom",
    );
    expect((await errorOf("kpi_snapshot", { day: "позавчера" })).message).toContain("Параметр day: ожидается дата ГГГГ-ММ-ДД");
  });

  it("reports an unknown tool", async () => {
    const e = await errorOf("weekly_magic", {});
    expect(e.code).toBe("UNKNOWN_TOOL");
    expect(e.message).toContain("weekly_magic");
  });
});

/** A provider whose every call fails like a dropped database connection. */
const downProvider = new Proxy({} as ShopProvider, {
  get: (_t, prop) => {
    if (prop === "source") return (n: string) => `demo:${n}`;
    if (prop === "kind") return "demo";
    if (prop === "label") return "демо";
    return () => Promise.reject(Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" }));
  },
});

describe("running", () => {
  it("ignores unknown keys and maps a lost database to UPSTREAM_UNAVAILABLE without throwing", async () => {
    const e = await errorOf("revenue_trend", { days: 7, colour: "red" }, { ...ctx, provider: downProvider });
    expect(e.code).toBe("UPSTREAM_UNAVAILABLE");
    expect(e.message).toContain("недоступны");
  });

  it("flags numbers without sources or without a window", async () => {
    const mk = (provenance: ToolResult["provenance"]) =>
      presented(
        defineTool({
          name: "t",
          version: "1",
          kind: "read",
          title: "T",
          description: "t",
          input: z.object({}),
          run: async () => ({ data: { n: 5 }, warnings: [], provenance, asOf: "" }),
        }),
        () => [{ text: "x" }],
      );
    const noSrc = await createRegistry([mk({ sources: [] })]).run("t", {}, ctx);
    const noWin = await createRegistry([mk({ sources: ["demo:x"] })]).run("t", {}, ctx);
    const full = await createRegistry([mk({ sources: ["demo:x"], window: { from: "2026-11-23", to: "2026-11-23", tz: "UTC" } })]).run(
      "t",
      {},
      ctx,
    );
    expect(noSrc.ok && noSrc.result.warnings.map((w) => w.code)).toEqual(["PROVENANCE_MISSING"]);
    expect(noWin.ok && noWin.result.warnings.map((w) => w.code)).toEqual(["PROVENANCE_INCOMPLETE"]);
    expect(full.ok && full.result.warnings).toEqual([]);
  });

  it("turns a thrown error into INTERNAL and a presenter crash into a notice", async () => {
    const tool = defineTool({
      name: "boom",
      version: "1",
      kind: "read",
      title: "Бум",
      description: "b",
      input: z.object({ fail: z.boolean().default(false) }),
      run: async (i) => {
        if (i.fail) throw new Error("kaput");
        return { data: {}, warnings: [], provenance: { sources: ["demo:x"] }, asOf: "" };
      },
    });
    const reg = createRegistry([
      presented(tool, () => {
        throw new Error("render bug");
      }),
    ]);
    const failed = await reg.run("boom", { fail: true }, ctx);
    expect(!failed.ok && failed.error.code).toBe("INTERNAL");
    const fine = await reg.run("boom", {}, ctx);
    expect(reg.present(fine, ctx)[0]?.text).toContain("Бум");
    expect(reg.present(failed, ctx)[0]?.text).toMatch(/^⚠️ Бум: /);
  });

  it("runs a tool without its presenter, and renders it only where the catalogue paired them", async () => {
    const bare = defineTool({
      name: "bare",
      version: "1",
      kind: "read",
      title: "Голый",
      description: "b",
      input: z.object({}),
      run: async () => ({ data: { n: 1 }, warnings: [], provenance: { sources: ["demo:x"] }, asOf: "" }),
    });
    const ran = await createRunner([bare]).run("bare", {}, ctx);
    expect(ran.ok && ran.result.data).toEqual({ n: 1 });
    const paired = createRegistry([presented(bare, (r) => [{ text: `n=${r.data.n}` }])]);
    expect(paired.present(ran, ctx)).toEqual([{ text: "n=1" }]);
    expect(readTools.every((t) => typeof t.present === "function")).toBe(true);
  });

  it("audits an owner's miss as a tool call and a bot failure as tool_call_failed", async () => {
    const missing = await runTool("kpi_snapshot", { day: "31.02" }, ctx);
    expect(toolCallAudit(missing)).toMatchObject({ type: "tool_call", payload: { ok: false, error_code: "VALIDATION_ERROR" } });
    const down = await runTool("revenue_trend", {}, { ...ctx, provider: downProvider });
    expect(toolCallAudit(down)).toMatchObject({ type: "tool_call_failed", payload: { error_code: "UPSTREAM_UNAVAILABLE" } });
    const notFound = await createRunner([
      defineTool({
        name: "nf",
        version: "1",
        kind: "read",
        title: "Карточка",
        description: "n",
        input: z.object({}),
        run: () => Promise.reject(new AppError("NOT_FOUND", "Заказ OB-99999 не найден.")),
      }),
    ]).run("nf", {}, ctx);
    expect(toolCallAudit(notFound).type).toBe("tool_call");
  });

  it("splits a long reply to Telegram's limit and keeps its buttons on the last part", () => {
    const text = Array.from({ length: 400 }, (_, i) => `• строка ${i} ${"я".repeat(30)}`).join("\n");
    const parts = fitTelegram([{ text, buttons: [[{ text: "Далее", action: { t: "noop" } }]], editInPlace: true }]);
    expect(parts.length).toBeGreaterThan(3);
    for (const p of parts) expect(p.text.length).toBeLessThanOrEqual(TELEGRAM_TEXT_LIMIT);
    expect(parts.slice(0, -1).every((p) => p.buttons === undefined)).toBe(true);
    expect(parts.at(-1)?.buttons).toHaveLength(1);
    expect(parts.map((p) => p.editInPlace === true)).toEqual(parts.map((_, i) => i === 0));
  });

  it("lists every read tool once, with Russian titles", () => {
    const list = listTools();
    expect(list.map((t) => t.name)).toEqual([...readTools.map((t) => t.name)].sort());
    expect(list.every((t) => t.kind === "read" && /[а-я]/i.test(t.title))).toBe(true);
  });

  it("puts the notification settings beside the read tools: 19 setters of kind setting and ntf_status", () => {
    const all = createRegistry([...readTools, ...systemStatusTools, ...settingTools]).list();
    const settings = all.filter((t) => t.name.startsWith("ntf_") && !/^ntf_send_/.test(t.name));
    expect(settings.map((t) => t.name).sort()).toEqual(settingTools.map((t) => t.name).sort());
    expect(settings.filter((t) => t.kind === "setting")).toHaveLength(19);
    expect(settings.every((t) => t.kind === "setting" || t.name === "ntf_status")).toBe(true);
    expect(settings.every((t) => /[а-я]/i.test(t.title))).toBe(true);
  });
});

describe("helpers", () => {
  it("reads order numbers and search strings", () => {
    expect(["OB-1234", "ob 1234", "#1234", "№ 1234", "1234", "заказ 1234"].map(parseOrderNo)).toEqual(Array(6).fill(1234));
    expect(parseOrderNo("OB-12a")).toBeNull();
    expect(classifyQuery("OB-1234")).toEqual({ orderNo: 1234, phoneDigits: "1234" });
    expect(classifyQuery("+7 (916) 123-45-67")).toEqual({ phoneDigits: "9161234567" });
    expect(classifyQuery("8 916 123 45 67")).toEqual({ phoneDigits: "9161234567" });
    expect(classifyQuery("Иванова")).toEqual({ text: "Иванова" });
  });

  it("forecast arithmetic by hand", () => {
    expect(dailyRate({ windowQty: 9, sesLevel: 1 }, { method: "sma", windowDays: 3, historyDays: 30 })).toBe(3);
    // A window longer than the history averages over the history.
    expect(dailyRate({ windowQty: 6, sesLevel: 1 }, { method: "sma", windowDays: 14, historyDays: 2 })).toBe(3);
    expect(dailyRate({ windowQty: 6, sesLevel: 2.5 }, { method: "ses", windowDays: 14, historyDays: 2 })).toBe(2.5);
    expect(confidence(30, 10)).toBe("HIGH");
    expect(confidence(30, 9)).toBe("MED");
    expect(confidence(13, 13)).toBe("LOW");
    // f = 0.3/day, lead 14 + safety 7 = 21 days → ROP 6.3; 30 days of cover needs 9 − 5 = 4 more.
    expect(reorderLine(0.3, 5, { leadDays: 14, safetyDays: 7, horizonDays: 9 })).toEqual({
      rop: 0.3 * 21,
      needed: true,
      coverDays: 5 / 0.3,
      recommendedQty: 4,
    });
    expect(reorderLine(0, 0, { leadDays: 1, safetyDays: 1, horizonDays: 1 }).needed).toBe(false);
  });

  it("redacts e-mails and phones from exported strings", () => {
    expect(redact("позвони +7 916 123-45-67 или a.b@shop.ru")).toBe("позвони [phone] или [email]");
    expect(redact("8 (916) 123-45-67, +79161234567")).toBe("[phone], [phone]");
  });

  it("keeps dates and timestamps in exported strings", () => {
    expect(redact("2026-12-02T22:41:06.006Z")).toBe("2026-12-02T22:41:06.006Z");
    expect(redact("2026-12-02")).toBe("2026-12-02");
    expect(redact("с 2026-11-26 по 2026-12-02 22:41")).toBe("с 2026-11-26 по 2026-12-02 22:41");
    expect(redact("02.12.2026 10:00")).toBe("02.12.2026 10:00");
  });
});
