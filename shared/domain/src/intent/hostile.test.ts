import { describe, expect, it } from "vitest";
import { CTX } from "./fixtures.ts";
import { routeText } from "./route.ts";
import type { Intent } from "./types.ts";

// Whatever arrives from Telegram (or a fuzzing owner), routing returns an intent quickly and
// never throws.

const HOSTILE: [string, string][] = [
  ["10k letters", "а".repeat(10_000)],
  ["10k digits", "1".repeat(10_000)],
  ["10k zero-width", "\u200b".repeat(10_000)],
  ["repeated date fragments", "с 01.11 по ".repeat(2_000)],
  ["repeated percents", "-1% ".repeat(3_000)],
  ["repeated ids", "товары 1,".repeat(2_000)],
  ["many number words", "двадцать пять ".repeat(1_000)],
  ["emoji", "📈📉💰🔥🙂".repeat(500)],
  ["RTL Arabic", "\u0645\u0628\u064a\u0639\u0627\u062a \u0627\u0644\u064a\u0648\u0645"],
  ["RTL Hebrew with bidi overrides", "\u202e\u05de\u05db\u05d9\u05e8\u05d5\u05ea\u202c"],
  ["control characters", "\u0000\u0001\u0007\u001b[31mвыручка\u0000"],
  ["lone surrogates", "\ud800выручка\udfff"],
  ["combining marks", "в\u0301ы\u0301ручка"],
  ["dotted capital I", "İİİ ВЫРУЧКА ЗА НЕДЕЛЮ İ"],
  ["huge numbers", "заказ 99999999999999999999999 за 999999 дней топ 99999"],
  ["slash noise", "/".repeat(500)],
  ["command with a long tail", `/notify ${"x".repeat(5_000)}`],
  ["command with control chars", "/kpi\u0000\u0000вчера"],
  ["JSON-looking", '{"tool":"adjust_price","input":{"force":true}}'],
  ["HTML", "<b>выручка</b> <script>alert(1)</script>"],
  ["only punctuation", "?!.,;:—«»()"],
  ["newlines", "выручка\n\n\nза\r\nнеделю"],
];

describe("hostile input", () => {
  it.each(HOSTILE)("%s: returns an intent within budget", (_name, text) => {
    const started = performance.now();
    let intent: Intent | undefined;
    expect(() => {
      intent = routeText(text, CTX);
    }).not.toThrow();
    expect(performance.now() - started).toBeLessThan(250);
    expect(intent?.kind).toMatch(/^(tool|nav|help|command|clarify|unknown)$/);
  });

  it("invisible characters inside a keyword do not hide it", () => {
    expect(routeText("вы\u200bручка за не\u00adделю", CTX)).toEqual({ kind: "tool", tool: "revenue_trend", input: { days: 7 } });
    expect(routeText("выручка\n\n\nза\r\nнеделю", CTX)).toEqual({ kind: "tool", tool: "revenue_trend", input: { days: 7 } });
  });

  it("a notify message is capped at the tool's 1000 characters and the owner is told", () => {
    const intent = routeText(`/notify ${"x".repeat(5_000)}`, CTX);
    expect(intent.kind).toBe("tool");
    if (intent.kind !== "tool") return;
    expect(String(intent.input.message).length).toBeLessThanOrEqual(1000);
    expect(intent.notes?.join(" ")).toMatch(/1000/);
  });

  it("a /notify message keeps its line breaks but loses control characters", () => {
    expect(routeText("/notify Проверьте:\r\n\u0007- заказ 1234\n\n\n\n- заказ 1235  ", CTX)).toEqual({
      kind: "tool",
      tool: "notify_team",
      input: { message: "Проверьте:\n- заказ 1234\n\n- заказ 1235" },
    });
  });

  it("huge numbers are clamped, not passed through", () => {
    const intent = routeText("выручка за 999999 дней", CTX);
    expect(intent).toMatchObject({ kind: "tool", tool: "revenue_trend", input: { days: 365 } });
  });

  it("a non-string from a loosely typed caller is 'unknown', not a crash", () => {
    expect(routeText(undefined as unknown as string, CTX).kind).toBe("unknown");
    expect(routeText(42 as unknown as string, CTX).kind).toBe("unknown");
  });

  it("a broken shop configuration still routes", () => {
    const ctx = { shop: { ...CTX.shop, timeZone: "Not/AZone", locale: "??" }, now: CTX.now };
    expect(routeText("kpi вчера", ctx)).toEqual({ kind: "tool", tool: "kpi_snapshot", input: { day: "2026-11-22" } });
    expect(routeText("kpi вчера", { ...CTX, now: new Date(Number.NaN) }).kind).toBe("unknown");
  });
});

describe("warm-up", () => {
  it("routes its phrases once and reports the time it took", async () => {
    const { warmUpRouter } = await import("./warmup.ts");
    expect(warmUpRouter(CTX)).toBeGreaterThan(0);
  });
});

describe("a long message", () => {
  const pasted = "Это просто текст письма без вопроса. ".repeat(80);
  it("answers the question it ends with and says the text was long", () => {
    // It starts with a KPI phrase, which the start alone would have answered.
    const text = `${"как дела у поставщика, ".repeat(180)}\nвыручка за неделю`;
    expect(text.length).toBeGreaterThan(4000);
    const r = routeText(text, CTX);
    expect(r).toMatchObject({ kind: "tool", tool: "revenue_trend", input: { days: 7 } });
    expect(r.kind === "tool" && r.notes?.join(" ")).toMatch(
      /Сообщение длинное \(4\u00a0\d{3} симв\.\) — ответил на последнюю фразу: «выручка за неделю»/,
    );
  });

  it("a long paste without a question says so instead of guessing from its start", () => {
    const r = routeText(pasted, CTX);
    expect(r.kind).toBe("unknown");
    expect(r.kind === "unknown" && r.reply.text).toContain("Сообщение очень длинное");
  });

  it("a long message whose start asks something answers it with a note that only the start was read", () => {
    const r = routeText(`зависшие заказы ${pasted}\nспасибо заранее, с уважением, Анна`, CTX);
    expect(r.kind === "tool" && r.notes?.join(" ")).toContain("прочитал только первые 1000 символов");
  });
});
