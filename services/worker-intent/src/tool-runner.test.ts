import { describe, expect, it } from "vitest";
import { z } from "zod";
import pino from "pino";
import type { Db } from "@ownerbot/core/db";
import type { Provenance, ShopSettings } from "@ownerbot/domain/contract";
import { createRegistry, defineTool, presented } from "@ownerbot/domain/tools";
import type { Logger } from "@ownerbot/core/logger";
import type { DomainCtx } from "./handle.ts";
import { createToolRunner } from "./tool-runner.ts";

// The reply composer of read tools: the provenance line and badge come from the result's own
// provenance fields, and numbers that name no source are withheld (and logged), whatever the presenter wrote.

const SHOP: ShopSettings = { shopId: "demo", currency: "EUR", timeZone: "Europe/Berlin", locale: "de-DE" };
const AS_OF = "2020-11-23T16:30:00Z";

function tool(name: string, provenance: Provenance, warnings: { code: string; message: string }[] = [], data: unknown = { revenue: 1234 }) {
  return presented(
    defineTool({
      name,
      version: "1",
      kind: "read",
      title: `Отчёт ${name}`,
      description: name,
      input: z.object({}),
      run: async () => ({ data, warnings, provenance, asOf: AS_OF }),
    }),
    () => [{ text: "Выручка: 1 234 €" }],
  );
}

const registry = createRegistry([
  tool("full", {
    sources: ["demo:demo_kpi_daily", "demo:demo_orders", "demo:demo_refunds"],
    window: { from: "2026-11-17", to: "2026-11-23", tz: "Europe/Berlin" },
  }),
  tool("nowindow", { sources: ["sis:/ownerbot/v1/kpi/summary"] }),
  tool("nosource", { sources: [], window: { from: "2026-11-23", to: "2026-11-23", tz: "Europe/Berlin" } }),
  tool("words", { sources: [] }, [], { note: "нет чисел" }),
]);

function harness() {
  const warned: unknown[] = [];
  const log = pino({ level: "silent" });
  const warn: Logger["warn"] = (obj: unknown) => void warned.push(obj);
  log.warn = warn;
  const run = createToolRunner({
    registry,
    db: {} as Db,
    shop: SHOP,
    systemTools: new Set(),
    system: () => Promise.reject(new Error("no")),
    log,
  });
  const audits: unknown[] = [];
  const ctx: DomainCtx = {
    chatId: 1,
    userId: 1,
    inboxId: 1,
    correlationId: "c-1",
    status: () => Promise.reject(new Error("no")),
    audit: (a) => void audits.push(a),
    typing: () => Promise.resolve(),
  };
  return { run: (name: string, presentation?: string) => run(name, {}, ctx, presentation ? { presentation } : {}), warned, audits };
}

describe("provenance line on read answers", () => {
  it("a complete answer: badge high, two sources and the rest counted, the window, as_of in the shop's zone", async () => {
    const [reply] = await harness().run("full");
    const lines = reply!.text.split("\n");
    expect(lines[0]).toBe("Выручка: 1 234 €");
    expect(lines.at(-1)).toBe(
      "🧭 Качество: high | 📌 демо-данные · KPI по дням, заказы +1 | 🗓 17.11–23.11.2026 (Europe/Berlin) | ⏱ на 23 ноя 2020, 17:30",
    );
  });

  it("no window: badge med, the period said to be unknown, the warning counted", async () => {
    const [reply] = await harness().run("nowindow");
    expect(reply!.text.split("\n").at(-1)).toBe(
      "🧭 Качество: med | 📌 SIS · сводка KPI | 🗓 период не указан | ⏱ на 23 ноя 2020, 17:30 | ⚠️ 1",
    );
  });

  it("numbers without a source are not shown: a clear line instead, a warning logged, no chart asked for", async () => {
    const h = harness();
    const replies = await h.run("nosource");
    expect(replies).toHaveLength(1);
    expect(replies[0]!.text).toContain("не указан источник");
    expect(replies[0]!.text).not.toMatch(/\d/);
    expect(replies[0]!.report).toBeUndefined();
    expect(h.warned).toEqual([{ tool: "nosource", correlation_id: "c-1" }]);
    expect(h.audits.map((a) => (a as { payload: { quality?: string } }).payload.quality)).toEqual(["low"]);
  });

  it("numbers without a source are not exported as a file either", async () => {
    const replies = await harness().run("nosource", "json");
    expect(replies.flatMap((r) => r.artifacts ?? [])).toEqual([]);
    expect(replies[0]!.text).toContain("не указан источник");
  });

  it("an answer without numbers needs no line and is shown as the presenter wrote it", async () => {
    const [reply] = await harness().run("words");
    expect(reply!.text).toBe("Выручка: 1 234 €");
  });
});
